import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roganGladen } from '../../src/core/stats/rogan-gladen.ts';
import { estimateInputTokens } from '../../src/engine/call-lane.ts';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import { buildJudgePrompt } from '../../src/judges/judge-prompt.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// Corrected pass rates and judge calls in --dry-run, end to end. The prompt echoes `answer` through
// fake:echo; the judge `refund` (fake:judge) passes exactly the outputs containing ZAP: 12 of 20 cases,
// a judged pass rate of 60 %. Its validation record (written here) says TPR 45/55, TNR 40/45 — the
// stats-judges.md §5.8 example — so the corrected rate is (0.6 + 0.889 − 1)/(0.818 + 0.889 − 1) = 69.1 %.
// A second judge `lax` (fake:lax, passes everything) is validated with TPR 8/10, TNR 5/10: Youden's J 0.3,
// so its correction is refused. A third, `tone`, is weak: no correction at all.
const CASES = 20;
const ZAP = 12;
const PASS = JSON.stringify({ reasoning: 'ok', verdict: 'pass' });
const FAIL = JSON.stringify({ reasoning: 'no', verdict: 'fail' });
const JUDGE_MAX_TOKENS = 100;
const TARGET_MAX_TOKENS = 40;

const files: Record<string, string> = {
  'assay.yaml': [
    'name: calib',
    'prompts: [q.prompt.md]',
    'suites: [suites/main.yaml, suites/jury.yaml]',
    'prices: prices.yaml',
    'models:',
    '  - id: fake:echo',
    '  - id: fake:judge',
    '    script: models/judge.yaml',
    '  - id: fake:lax',
    '    script: models/lax.yaml',
    '',
  ].join('\n'),
  'prices.yaml': '"fake:judge": { input: 2, output: 10 }\n',
  'q.prompt.md': `---\nvariables:\n  answer: string\nsettings: { maxTokens: ${TARGET_MAX_TOKENS} }\n---\n{{ answer }}\n`,
  'judges/refund.judge.md': `---\nmodel: fake:judge\nsettings: { maxTokens: ${JUDGE_MAX_TOKENS} }\n---\nThe reply must offer a refund.\n`,
  'judges/lax.judge.md': '---\nmodel: fake:lax\n---\nThe reply must be polite.\n',
  'judges/tone.judge.md': '---\nmodel: fake:lax\n---\nThe reply must be warm.\n',
  'models/judge.yaml': `rules:\n  - contains: ZAP\n    reply: ${JSON.stringify(PASS)}\ndefault: ${JSON.stringify(FAIL)}\n`,
  'models/lax.yaml': `default: ${JSON.stringify(PASS)}\n`,
  // A jury calls each member once per result; one of them nested in `all`.
  'suites/jury.yaml': `name: jury\ncases:\n${[0, 1, 2]
    .map(
      (i) =>
        `  - id: j${i}\n    vars: { answer: "jury ${i}" }\n    checks:\n      - type: all\n        checks:\n          - type: jury\n            judges: [../judges/refund.judge.md, ../judges/lax.judge.md]\n            mode: majority\n`,
    )
    .join('')}`,
  'suites/main.yaml': `name: main\ndefaults:\n  checks:\n    - type: judge\n      judge: ../judges/refund.judge.md\n    - type: judge\n      judge: ../judges/lax.judge.md\n    - type: judge\n      judge: ../judges/tone.judge.md\ncases:\n${Array.from(
    { length: CASES },
    (_, i) =>
      `  - id: c${String(i).padStart(2, '0')}\n    vars: { answer: "answer ${i}${i < ZAP ? ' ZAP' : ''}" }\n`,
  ).join('')}`,
};

function record(file: string, status: 'validated' | 'weak', confusion?: [number, number, number, number]) {
  const version = parseJudgeFile(files[file] as string, file).version;
  return `${JSON.stringify({
    judge: file,
    judgeVersion: version,
    judgeModel: 'fake',
    annotations: [],
    status,
    kappa: 0.7,
    tpr: null,
    tnr: null,
    n: 100,
    ...(confusion
      ? {
          confusion: {
            truePositives: confusion[0],
            humanPositives: confusion[1],
            trueNegatives: confusion[2],
            humanNegatives: confusion[3],
          },
        }
      : {}),
    validatedAt: '2026-01-01T00:00:00.000Z',
  })}\n`;
}

let project: { dir: string; cleanup: () => void };

beforeAll(() => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    ...files,
    'judges/refund.judge.md.validation.json': record('judges/refund.judge.md', 'validated', [45, 55, 40, 45]),
    'judges/lax.judge.md.validation.json': record('judges/lax.judge.md', 'validated', [8, 10, 5, 10]),
    'judges/tone.judge.md.validation.json': record('judges/tone.judge.md', 'weak', [5, 10, 5, 10]),
  });
});
afterAll(() => project.cleanup());

describe('judge calls in eval --dry-run', () => {
  it('counts, sizes and prices one judge call per planned result per judge check', async () => {
    const r = await runCli([
      'eval',
      '-C',
      project.dir,
      '-m',
      'fake:echo',
      '-s',
      'main',
      '--dry-run',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const est = JSON.parse(r.stdout).dryRun;
    // The judged output is unknown: its prompt is built with an empty output plus the target's maxTokens.
    const judge = parseJudgeFile(files['judges/refund.judge.md'] as string, 'judges/refund.judge.md');
    let input = 0;
    for (let i = 0; i < CASES; i++) {
      const request = `answer ${i}${i < ZAP ? ' ZAP' : ''}`;
      input +=
        estimateInputTokens(buildJudgePrompt(judge, { output: '', request }).messages) + TARGET_MAX_TOKENS;
    }
    const refundLine = est.judgeCalls.find((j: { modelId: string }) => j.modelId === 'fake:judge');
    expect(refundLine).toEqual({
      modelId: 'fake:judge',
      judges: ['refund'],
      calls: CASES,
      cachedCalls: 0,
      inputTokens: input,
      outputTokens: CASES * JUDGE_MAX_TOKENS,
      cost: (input * 2 + CASES * JUDGE_MAX_TOKENS * 10) / 1e6,
    });
    const laxLine = est.judgeCalls.find((j: { modelId: string }) => j.modelId === 'fake:lax');
    expect(laxLine).toMatchObject({
      judges: ['lax', 'tone'],
      calls: 2 * CASES,
      outputTokens: 2 * CASES * 256,
    });
    // In the totals: 20 target calls + 60 judge calls.
    expect(est.calls).toBe(CASES * 4);
    expect(est.assumptions.join('\n')).toMatch(/judge calls: one per planned result per judge check/);

    const text = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo', '-s', 'main', '--dry-run']);
    expect(text.stdout).toMatch(
      /^ {2}judge calls fake:judge \(refund\): 20 calls, ~[\d.k]+\/2\.0k tokens, ~\$0\.0\d+$/m,
    );
    expect(text.stdout).toMatch(/^ {2}judge calls fake:lax \(lax, tone\): 40 calls/m);

    // The targets are free; only the judge calls go over this cap.
    const capped = await runCli([
      'eval',
      '-C',
      project.dir,
      '-m',
      'fake:echo',
      '-s',
      'main',
      '--dry-run',
      '--max-cost',
      '0.01',
    ]);
    expect(capped.stdout).toMatch(/assumes: the estimate is above --max-cost \$0\.01/);
  });

  it('counts one call per jury member per result, nested checks included', async () => {
    const r = await runCli([
      'eval',
      '-C',
      project.dir,
      '-m',
      'fake:echo',
      '-s',
      'jury',
      '--dry-run',
      '--json',
    ]);
    const est = JSON.parse(r.stdout).dryRun;
    expect(est.judgeCalls.map((j: { modelId: string; calls: number }) => [j.modelId, j.calls])).toEqual([
      ['fake:judge', 3],
      ['fake:lax', 3],
    ]);
    expect(est.calls).toBe(9);
  });
});

describe('corrected pass rates in the eval report', () => {
  let report: {
    judges: { name: string; status: string; calibration?: Record<string, unknown> }[];
  };
  let stdout: string;
  beforeAll(async () => {
    const r = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo', '-o', 'report.json']);
    expect(r.stderr).not.toMatch(/internal error|assay:/);
    stdout = r.stdout;
    report = JSON.parse(readFileSync(join(project.dir, 'report.json'), 'utf8')).runs[0].report;
  });

  it('prints the judged and the Rogan–Gladen corrected rate of a validated judge', () => {
    const rg = roganGladen({
      judgePasses: ZAP,
      n: CASES,
      truePositives: 45,
      humanPositives: 55,
      trueNegatives: 40,
      humanNegatives: 45,
    });
    if (!rg.corrected) throw new Error('expected a correction');
    expect(rg.estimate).toBeCloseTo(0.6914, 4);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    expect(stdout).toMatch(
      new RegExp(
        `judge refund · q@\\w+ × fake:echo: 60\\.0% judged pass \\(12/20\\) → 69\\.1% corrected \\[${pct(rg.lower).replace('.', '\\.')}, ${pct(rg.upper).replace('.', '\\.')}\\] \\(TPR 0\\.82, TNR 0\\.89 on 100 annotations\\)`,
      ),
    );
    const refund = report.judges.find((j) => j.name === 'refund');
    expect(refund?.calibration).toMatchObject({
      available: true,
      annotations: 100,
      countedPer: 'result',
      groups: [
        {
          prompt: 'q',
          modelId: 'fake:echo',
          judged: CASES,
          judgedPass: ZAP,
          judgeRate: 0.6,
          corrected: { estimate: rg.estimate, lower: rg.lower, upper: rg.upper, method: 'rogan-gladen' },
        },
      ],
    });
  });

  it('says when the correction is refused, and leaves weak judges uncorrected', () => {
    expect(stdout).toMatch(
      /judge lax · q@\w+ × fake:echo: 100\.0% judged pass \(20\/20\); not corrected: TPR \+ TNR − 1 = 0\.300 is below 0\.5/,
    );
    const lax = report.judges.find((j) => j.name === 'lax');
    expect(lax?.calibration).toMatchObject({ available: true, groups: [{ corrected: null }] });
    const tone = report.judges.find((j) => j.name === 'tone');
    expect(tone?.status).toBe('weak');
    expect(tone?.calibration).toBeUndefined();
    expect(stdout).not.toMatch(/judge tone · /);
  });

  it('dry run after the eval finds the judge answers in the cache', async () => {
    const r = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo', '--dry-run', '--json']);
    const est = JSON.parse(r.stdout).dryRun;
    for (const line of est.judgeCalls) {
      expect(line.cachedCalls).toBe(line.calls);
      expect(line.inputTokens).toBe(0);
    }
    expect(est.cachedCalls).toBe(est.calls);
  });
});
