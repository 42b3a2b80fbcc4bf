import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../core/types.ts';
import type { EvalReport } from './eval-report.ts';
import { exportResults, xmlAttr, xmlText } from './export-results.ts';

describe('xmlAttr', () => {
  it('escapes markup and both quotes, and drops characters XML 1.0 cannot carry', () => {
    expect(xmlAttr(`<a href="x">'&'</a>\u0000\u0007`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;',
    );
  });

  it('writes tab, newline and carriage return as character references (a parser keeps those)', () => {
    expect(xmlAttr('a\tb\nc\r\nd')).toBe('a&#9;b&#10;c&#13;&#10;d');
    // element text keeps them as they are
    expect(xmlText('a\tb\nc')).toBe('a\tb\nc');
  });
});

describe('JUnit export', () => {
  it('keeps newlines and tabs in attribute values as character references', async () => {
    const group = {
      prompt: 'p',
      promptVersion: 'v1',
      modelId: 'fake:echo',
      total: 1,
      failed: 1,
      errors: 0,
      passRate: null,
    };
    const report = {
      run: { id: 'r1', suite: { name: 's', file: 's.yaml', hash: 'h', cases: 1 } },
      summary: { total: 1, errors: 0, groups: [group] },
    } as unknown as EvalReport;
    const result = {
      runId: 'r1',
      prompt: 'p',
      promptVersion: 'v1',
      modelId: 'fake:echo',
      caseId: 'line1\nline2\tcol',
      repeat: 0,
      status: 'fail',
      checks: [{ type: 'contains', pass: false, reason: 'missing "x"\nsee\r\nabove' }],
      usage: {},
      cost: 0,
      attempts: 1,
      cached: false,
      createdAt: '2020-01-01T00:00:00Z',
    } as unknown as ResultRecord;
    let xml = '';
    await exportResults(
      'junit',
      report,
      async function* () {
        yield result;
      },
      (chunk) => {
        xml += chunk;
      },
    );
    expect(xml).toContain('name="line1&#10;line2&#9;col"');
    expect(xml).toContain('message="contains: missing &quot;x&quot;&#10;see&#13;&#10;above"');
    // no raw tab, newline or carriage return inside any attribute value
    for (const [, value] of xml.matchAll(/="([^"]*)"/g)) expect(value).not.toMatch(/[\t\n\r]/);
  });
});
