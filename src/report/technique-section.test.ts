import { describe, expect, it } from 'vitest';
import type { TechniqueTable } from '../core/compare/technique-table.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import { renderTechniqueTable } from '../reporters/render-technique-table.ts';
import { mdText } from './render-markdown-report.ts';
import { techniqueMarkdown, techniqueSectionHtml } from './technique-section.ts';

const hostile = 'openai-compatible:<img src=x onerror=alert(1)>|`*';
const table: TechniqueTable = {
  prompt: 'qa',
  modelId: hostile,
  baseline: 'qa',
  family: 1,
  adjustment: 'holm',
  alpha: 0.05,
  warnings: ['only 3 paired cases <script>alert(2)</script>'],
  rows: [
    {
      technique: 'zero-shot',
      prompt: 'qa',
      promptVersion: 'aaaaaaaaaaaa',
      baseline: true,
      passRate: { estimate: 1 / 3, lower: 0.06, upper: 0.79, method: 'wilson', confidence: 0.95, n: 3 },
      passed: 1,
      scored: 3,
      errors: 0,
      cases: 3,
      costPerCase: 0.0005,
      costUnknown: false,
      latencyP50: 1500,
      tokensPerCase: { input: 100.4, output: 9.6 },
    },
    {
      technique: 'cot',
      prompt: 'qa~cot',
      promptVersion: 'bbbbbbbbbbbb',
      baseline: false,
      passRate: { estimate: 1, lower: 0.44, upper: 1, method: 'wilson', confidence: 0.95, n: 3 },
      passed: 3,
      scored: 3,
      errors: 0,
      cases: 3,
      costPerCase: 0,
      costUnknown: true,
      latencyP50: null,
      tokensPerCase: null,
      vsBaseline: {
        difference: {
          estimate: 2 / 3,
          lower: -0.05,
          upper: 0.9,
          confidence: 0.95,
          method: 'Newcombe paired (method 10)',
        },
        p: 0.5,
        pAdjusted: 0.5,
        test: 'exact McNemar',
        table: { bothPass: 1, baselineOnly: 0, candidateOnly: 2, bothFail: 0 },
        paired: 3,
        verdict: 'no detectable difference',
      },
    },
  ],
};
const report = { techniques: [table] } as unknown as EvalReport;

describe('technique table renderers', () => {
  it('HTML: a section with one row per technique; every text escaped', () => {
    const html = techniqueSectionHtml(report);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(html).toContain(
      '<tr><td>cot</td><td>qa~cot@bbbbbbbbbbbb</td><td>100.0% [44.0, 100.0]</td><td class="num">3/3</td><td class="num">0</td><td>+66.7 pts [−5.0, +90.0]</td><td class="num">0.500 (0.500)</td><td>no detectable difference</td><td class="num">unknown</td><td class="num">—</td><td class="num">—</td></tr>',
    );
    expect(html).toContain(
      '<td class="num">$0.00050</td><td class="num">1.5s</td><td class="num">100/10</td>',
    );
    expect(techniqueSectionHtml({ techniques: [] } as unknown as EvalReport)).toBe('');
    expect(techniqueSectionHtml({} as EvalReport)).toBe('');
  });

  it('Markdown: escaped cells; nothing without tables', () => {
    const md = techniqueMarkdown(report, mdText).join('\n');
    expect(md).toContain('## Prompting techniques');
    expect(md).not.toMatch(/(?<!\\)<img|(?<!\\)\|`/);
    expect(md).toContain('\\<img src=x onerror=alert(1)\\>\\|\\`\\*');
    expect(techniqueMarkdown({} as EvalReport, mdText)).toEqual([]);
  });

  it('terminal: control characters stripped', () => {
    const t = { ...table, modelId: 'fake:\u001b[31mred\u202e' };
    const text = renderTechniqueTable(t).join('\n');
    expect(text.includes('\u001b')).toBe(false);
    expect(text.includes('\u202e')).toBe(false);
    expect(text).toContain('techniques · qa × fake:[31mred');
  });
});
