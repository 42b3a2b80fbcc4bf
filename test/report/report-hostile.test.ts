import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILTER_SCRIPT_HASH } from '../../src/report/render-html-report.ts';
import { HOSTILE_NAME, HOSTILE_OUTPUTS } from '../fixtures/hostile-outputs.ts';
import { type HostileReport, makeHostileReport } from './hostile-report-fixture.ts';

// The hostile corpus as outputs, case ids, inputs, prompt/model/file names, categories, check reasons,
// error messages and manifest fields of a compared run: nothing of it may reach the page as markup.
let fixture: HostileReport;
let html: string;
let md: string;

beforeAll(async () => {
  fixture = await makeHostileReport();
  html = readFileSync(fixture.html, 'utf8');
  md = readFileSync(fixture.md, 'utf8');
}, 60_000);

afterAll(() => fixture?.cleanup());

/** Payloads that carry markup (the others, like `${…}`, are inert text in HTML whatever happens). */
const markup = [...HOSTILE_OUTPUTS, HOSTILE_NAME].filter((p) => /[<>"']/.test(p));

describe('the HTML report with hostile outputs and names', () => {
  it('contains none of the payloads unescaped', () => {
    for (const p of markup) expect(html.includes(p), p.slice(0, 60)).toBe(false);
    // …but shows every one of them, escaped, somewhere (outputs, case ids).
    expect(html).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;window.__pwned = 99&quot;&gt;');
  });

  it('has exactly one script (the filter) and no element, handler or URL from the corpus', () => {
    expect(html.match(/<script/gi)).toHaveLength(1);
    expect(
      html.match(/<(img|iframe|form|details|math|object|embed|link|base|textarea)\b/i)?.[0],
    ).toBeUndefined();
    expect(html.match(/<[a-z][^>]*\son[a-z]+\s*=/i)?.[0]).toBeUndefined();
    // The only links are the report's own in-page anchors.
    for (const a of html.match(/<a\b[^>]*>/gi) ?? []) expect(a).toMatch(/^<a href="#[a-z-]+">$/);
    // Inside tags (escaped text has no '<'): no attribute that loads or submits anything.
    expect(html.match(/<[^>]*\s(src|action|srcdoc|formaction|style)\s*=/i)?.[0]).toBeUndefined();
    expect(html.match(/<[^>]*\shref\s*=\s*"(?!#)/i)?.[0]).toBeUndefined();
    expect(html.match(/<[^>]*https?:\/\/(?!www\.w3\.org\/2000\/svg")/)?.[0]).toBeUndefined();
    // Every <svg is one of the report's charts.
    const svgs = html.match(/<svg[^>]*>/g) ?? [];
    expect(svgs.length).toBeGreaterThan(0);
    for (const s of svgs) expect(s).toContain('class="chart"');
  });

  it('shows bidirectional overrides as visible markers and drops NUL', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that NUL was dropped is the point
    expect(html.match(/[\u202a-\u202e\u2066-\u2069\u0000]/)?.[0]).toBeUndefined();
    expect(html).toContain('⟨U+202E⟩override');
  });

  it('declares a CSP that allows nothing but the hashed filter script', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const policy = csp.replace(/&#39;/g, "'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src '${FILTER_SCRIPT_HASH}'`);
    expect(policy).toContain('img-src data:');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    // The meta tag comes before anything the page could load or run.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style'));
  });

  it('shows the inputs from the suite (same hash as the run) escaped', () => {
    expect(html).toContain('q: &lt;svg onload=&quot;window.__pwned = 4&quot;&gt;&lt;/svg&gt;');
  });
});

describe('the Markdown report with hostile outputs and names', () => {
  it('puts every output in a fence it cannot close, and escapes markup everywhere else', () => {
    const lines = md.split('\n');
    let fence: string | undefined;
    for (const line of lines) {
      if (fence === undefined) {
        const open = /^(`{3,})text$/.exec(line);
        if (open) {
          fence = open[1];
          continue;
        }
        // Outside fences no raw < or > may start a tag (escaped as \< \>), no raw HTML at all.
        expect(line, line).not.toMatch(/(^|[^\\])<(?!sub>|\/sub>)/);
      } else if (line === fence) fence = undefined;
      else expect(line.startsWith(fence), line).toBe(false);
    }
    expect(fence).toBeUndefined();
    expect(md).toContain('## Top regressions (9)');
    expect(md).toContain('Charts: see the HTML report');
  });

  it('removes bidirectional overrides and control characters', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking that NUL was dropped is the point
    expect(md).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u0000]/);
  });
});
