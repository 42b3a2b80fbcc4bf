import { describe, expect, it } from 'vitest';
import { compileSchema } from '../core/checks/compile-schema.ts';
import { paraphraseConsistency } from '../core/stats/paraphrase-consistency.ts';
import { structuredFunnel } from '../core/stats/structured-funnel.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import { funnelChart, outputStatsMarkdown, outputStatsSection } from './output-stats-sections.ts';
import type { ReportData } from './report-data.ts';

const compiled = compileSchema({ type: 'object' });
if (!compiled.ok) throw new Error(compiled.error);
const hostile = '<img src=x onerror=alert(1)>';
const group = { prompt: hostile, promptVersion: 'v1', modelId: 'fake:x' };
const funnel = structuredFunnel(group, compiled.validate, [
  { result: { status: 'pass', output: `{"${hostile}": 1}` }, expected: { [hostile]: 2 } },
  { result: { status: 'fail', output: 'not json' } },
]);
const consistency = paraphraseConsistency([
  { caseId: 'a', cluster: hostile, passed: 1, scored: 1 },
  { caseId: 'b', cluster: hostile, passed: 0, scored: 1 },
  { caseId: 'c', cluster: 'y', passed: 1, scored: 1 },
  { caseId: 'd', cluster: 'y', passed: 1, scored: 1 },
]);
const data = (report: Partial<EvalReport>) => ({ report }) as unknown as ReportData;

describe('output-stats-sections', () => {
  it('renders the funnel chart and tables with every name, field path and cluster escaped', () => {
    if (!consistency) throw new Error('expected consistency');
    const html = outputStatsSection(
      data({ structured: [funnel], consistency: [{ ...group, ...consistency }] }),
    );
    expect(html).toContain('<section id="structured">');
    expect(html).toContain('class="chart funnel"');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toMatch(/<td>valid JSON<\/td><td class="num">1<\/td>/);
    expect(html).toContain('Consistency across paraphrases');
  });

  it('draws one bar per stage, widths in proportion to responses', () => {
    const svg = funnelChart(funnel);
    // responses, not refused, not truncated, valid JSON, schema-valid, all fields correct
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(6);
    expect(svg).toContain('<rect class="bar" x="150" y="31" width="420"'); // 2 of 2 responses
    expect(svg).toContain('1 (50.0%)');
  });

  it('is empty without funnels or paraphrase clusters, and Markdown escapes names', () => {
    expect(outputStatsSection(data({}))).toBe('');
    const md = outputStatsMarkdown(data({ structured: [funnel] }), (s) =>
      s.replace(/[<>]/g, (c) => `\\${c}`),
    );
    expect(md.join('\n')).toContain('| \\<img src=x onerror=alert(1)\\>@v1 × fake:x | 2 | 0 | 0 | 1 · 50.0%');
  });
});
