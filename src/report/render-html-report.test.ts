import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seedManifest } from '../../test/report/seed-report-store.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import { summarizeTrajectory } from '../views/trajectory-summary.ts';
import {
  CASE_BYTES_BUDGET,
  FILTER_SCRIPT,
  FILTER_SCRIPT_HASH,
  renderHtmlReport,
} from './render-html-report.ts';
import { renderMarkdownReport } from './render-markdown-report.ts';
import type { EmbeddedCase, ReportData } from './report-data.ts';

const group = {
  prompt: 'bot',
  promptVersion: 'a1b2c3d4e5f6',
  modelId: 'fake:bot',
  total: 100,
  scored: 98,
  passed: 80,
  failed: 18,
  errors: 2,
  cached: 0,
  passRate: {
    estimate: 80 / 98,
    lower: 0.72,
    upper: 0.88,
    method: 'wilson' as const,
    confidence: 0.95,
    n: 98,
  },
  cases: 98,
  latency: { mean: 500, p50: 480, p95: 900 },
  tokens: { input: 1000, output: 200 },
  cost: 0.02,
  costUnknown: false,
  categories: [
    {
      category: 'edge',
      scored: 48,
      passed: 40,
      errors: 1,
      passRate: {
        estimate: 40 / 48,
        lower: 0.7,
        upper: 0.91,
        method: 'wilson' as const,
        confidence: 0.95,
        n: 48,
      },
    },
  ],
  errorKinds: { server: 2 },
  repeats: null,
  clustered: null,
  score: null,
};

function data(embedded: EmbeddedCase[] = [], extra: Partial<ReportData> = {}): ReportData {
  const report: EvalReport = {
    schemaVersion: 1,
    run: {
      id: 'run-1',
      status: 'completed',
      createdAt: '2026-12-01T10:00:00.000Z',
      planned: 100,
      stored: 100,
      cost: 0.02,
      costUnknown: false,
      suite: { name: 'main', file: 'suites/main.yaml', hash: 'h', cases: 100 },
      repeats: 1,
    },
    summary: { groups: [group], total: 100, errors: 2, warnings: [] },
    thresholds: [],
    exitCode: 0,
    warnings: [],
    judges: [
      { name: 'tone', file: 'judges/tone.judge.md', status: 'weak', reason: 'κ 0.41 [0.2, 0.6]' },
      {
        name: 'facts',
        file: 'judges/facts.judge.md',
        status: 'validated',
        reason: 'κ 0.82',
        calibration: {
          available: true,
          tpr: 0.9,
          tnr: 0.8,
          youden: 0.7,
          annotations: 120,
          confusion: { truePositives: 54, humanPositives: 60, trueNegatives: 48, humanNegatives: 60 },
          countedPer: 'result',
          groups: [
            {
              prompt: 'bot',
              promptVersion: 'a1b2c3d4e5f6',
              modelId: 'fake:bot',
              judged: 98,
              judgedPass: 70,
              judgeRate: 70 / 98,
              corrected: {
                estimate: 0.75,
                lower: 0.6,
                upper: 0.9,
                se: 0.07,
                unclipped: 0.75,
                confidence: 0.95,
                method: 'rogan-gladen',
              },
            },
          ],
        },
      },
    ],
  };
  return {
    schemaVersion: 1,
    generatedAt: '2026-12-01T11:00:00.000Z',
    assayVersion: '0.1.0',
    report,
    manifest: seedManifest(),
    cases: {
      embedded,
      total: 100,
      passed: 80,
      failed: 18,
      errors: 2,
      embeddedFailed: embedded.length,
      embeddedErrors: 0,
      embeddedPassed: 0,
      sampleSeed: 7,
    },
    flakiness: [],
    resultsFile: 'report.results.jsonl',
    ...extra,
  };
}

const fail = (i: number, output: string): EmbeddedCase => ({
  runId: 'run-1',
  caseId: `c${i}`,
  prompt: 'bot',
  promptVersion: 'a1b2c3d4e5f6',
  modelId: 'fake:bot',
  repeat: 0,
  status: 'fail',
  output,
  outputChars: output.length,
  failedChecks: [{ name: 'contains', reason: 'no "refund"' }],
  cost: 0.0002,
});

describe('renderHtmlReport', () => {
  it("hashes exactly the page's script into the CSP", () => {
    const html = renderHtmlReport(data());
    expect(FILTER_SCRIPT_HASH).toBe(`sha256-${createHash('sha256').update(FILTER_SCRIPT).digest('base64')}`);
    const inline = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
    expect(inline).toBe(FILTER_SCRIPT);
    expect(html).toContain(`script-src &#39;${FILTER_SCRIPT_HASH}&#39;`);
  });

  it('shows the headline with intervals, errors apart, judges, the manifest, and says how much is embedded', () => {
    const html = renderHtmlReport(data([fail(1, 'no refund here')]));
    expect(html).toContain('<b>81.6% [72.0%, 88.0%]</b>');
    expect(html).toContain('2 errored (counted apart: errors are not failures)');
    expect(html).toContain('<td class="judge-weak">weak</td>');
    expect(html).toContain('bot@a1b2c3d4 × fake:bot: <b>75.0% [60.0%, 90.0%]</b>');
    expect(html).toContain('TPR 90.0%, TNR 80.0% from 120 annotations');
    expect(html).toContain('Embedded 1 of 100 results: 1 of 18 failed, 0 of 2 errored');
    expect(html).toContain('<code>report.results.jsonl</code>');
    expect(html).toContain('<code>0123456789abcdef0123456789abcdef01234567</code>');
    expect(html).toContain('@pydantic/genai-prices 0.1.8');
    expect(html).toContain('Forest plot of paired differences: needs <code>--compare RUN</code>');
    expect(html).toContain('this run has no repeats');
  });

  it('folds an agent trajectory under its output, every step escaped', () => {
    const agentCase: EmbeddedCase = {
      ...fail(1, 'Refunded.'),
      trajectory: summarizeTrajectory({
        termination: 'max-errors',
        messages: [],
        steps: [
          {
            type: 'llm',
            turn: 0,
            toolCalls: [{ name: 'refund', arguments: { note: '<img src=x onerror=alert(1)>' } }],
          },
          { type: 'tool', turn: 0, name: 'refund', args: { note: '<b>' }, error: '<script>x</script>' },
          { type: 'llm', turn: 0, text: 'Refunded.' },
        ],
      }),
    };
    const html = renderHtmlReport(data([agentCase]));
    expect(html).toContain(
      '<summary>trajectory: 2 model calls · 1 tool call (1 failed) · ended: max-errors</summary>',
    );
    expect(html).toContain('calls refund({&quot;note&quot;:&quot;&lt;img src=x onerror=alert(1)&gt;&quot;})');
    expect(html).toContain('<span class="st-error">&lt;script&gt;x&lt;/script&gt;</span>');
    expect(html).not.toContain('<img src=x');
  });

  it('stops embedding cases at the byte budget and says so, whatever the outputs', () => {
    // 3,000 cases of 2,000 '<' each: 8 bytes escaped per character, far over the budget.
    const many = Array.from({ length: 3000 }, (_, i) => fail(i, '<'.repeat(2000)));
    const html = renderHtmlReport(data(many));
    expect(html.length).toBeLessThan(CASE_BYTES_BUDGET + 100_000);
    const shown = /Embedded (\d+) of 100 results \((\d+) more left out to keep the file small\)/.exec(html);
    expect(Number(shown?.[1])).toBeGreaterThan(100);
    expect(Number(shown?.[1]) + Number(shown?.[2])).toBe(3000);
  });
});

describe('renderMarkdownReport', () => {
  it('has the headline table with intervals, the failures fenced, and says where the charts are', () => {
    const md = renderMarkdownReport(data([fail(1, 'has ``` inside\n````\nand more')]));
    expect(md).toContain('| bot@a1b2c3d4 × fake:bot | 81.6% [72.0%, 88.0%] | 98 | 18 | 2 |');
    expect(md).toContain('`````text\nhas ``` inside\n````\nand more\n`````');
    expect(md).toContain('_Charts: see the HTML report');
    expect(md).toContain('| tone | weak |');
    expect(md).toContain('| facts | validated | κ 0.82 | bot@a1b2c3d4 × fake:bot: 75.0% [60.0%, 90.0%] |');
  });
});
