import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationKey } from '../../src/annotations/annotation-key.ts';
import { spearmanRho } from '../../src/core/stats/rank-correlation.ts';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

// `assay judge validate` on a 1–5 judge: the cutoff sweep and the bias probes end to end. Ten outputs,
// padded to strictly increasing lengths; the fake judge scores each by a marker in it, the humans score
// them independently. Humans pass (score ≥ 4) items 0, 2, 4, 6, 8. The judge at ≥ 3 passes those and
// item 9 (J 0.8); at the configured ≥ 4 it misses items 0 and 2 (J 0.6). The judge's scores rise with
// length, the humans' do not. The judge (fake:gpt-4o-mini) grades the outputs of fake:gpt-4o.
const HUMAN = [4, 1, 5, 2, 4, 1, 5, 2, 4, 1];
const JUDGE = [3, 1, 3, 2, 4, 2, 4, 2, 5, 3];
const LENGTH_RANK = HUMAN.map((_, i) => i);

let project: { dir: string; cleanup: () => void };

function validate(...extra: string[]) {
  return runCli([
    'judge',
    'validate',
    'judges/score.judge.md',
    '--annotations',
    'annotations.jsonl',
    '-C',
    project.dir,
    ...extra,
  ]);
}

beforeAll(async () => {
  project = scratchProject(false);
  const cases = JUDGE.map(
    (score, i) => `  - id: c${i}\n    vars: { answer: "answer c${i} ZQ${score}Z ${'x'.repeat(10 * i)}" }\n`,
  );
  const rules = [1, 2, 3, 4, 5]
    .map(
      (s) =>
        `  - contains: ZQ${s}Z\n    reply: ${JSON.stringify(JSON.stringify({ reasoning: 'scored', score: s }))}\n`,
    )
    .join('');
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: jvb',
      'prompts: [q.prompt.md]',
      'suites: [suites/main.yaml]',
      'models:',
      '  - id: fake:gpt-4o',
      '  - id: fake:gpt-4o-mini',
      '    script: models/judge.yaml',
      '',
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  answer: string\n---\n{{ answer }}\n',
    'judges/score.judge.md':
      '---\nmodel: fake:gpt-4o-mini\nscale: 1-5\n---\nRate how helpful the reply is.\n',
    'models/judge.yaml': `rules:\n${rules}`,
    'suites/main.yaml': `name: main\ndefaults:\n  checks:\n    - type: judge\n      judge: ../judges/score.judge.md\ncases:\n${cases.join('')}`,
  });
  const evalRun = await runCli(['eval', '-C', project.dir, '-m', 'fake:gpt-4o', '--json']);
  expect(evalRun.stderr).not.toMatch(/internal error|assay:/);
  const exported = await runCli(['export', '-C', project.dir, '-f', 'jsonl']);
  expect(exported.code).toBe(0);
  const results = exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((r) => r.caseId !== undefined);
  expect(results).toHaveLength(10);
  const annotations = results.map((r) => {
    const i = Number(r.caseId.slice(1));
    // the padding makes every output 10 characters longer than the one before
    expect([...r.output].length - [...results[0].output].length).toBe(10 * i);
    return JSON.stringify({
      key: annotationKey(r.output, r.caseId, r.promptVersion),
      caseId: r.caseId,
      annotator: 'ana',
      score: HUMAN[i],
      at: '2026-11-24T08:00:00Z',
    });
  });
  writeFileSync(join(project.dir, 'annotations.jsonl'), `${annotations.join('\n')}\n`);
}, 60_000);

afterAll(() => project?.cleanup());

describe('assay judge validate · cutoff sweep and bias probes', () => {
  it('sweeps the cutoff, probes length and model family, in --json', async () => {
    const r = await validate('--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.n).toBe(10);
    const sweep = report.thresholdSweep;
    expect(sweep).toMatchObject({ passThreshold: 4, n: 10, humanPasses: 5, humanFails: 5, best: 3 });
    expect(sweep.rows.map((row: { cutoff: number }) => row.cutoff)).toEqual([2, 3, 4, 5]);
    const js = sweep.rows.map((row: { youdenJ: number }) => row.youdenJ);
    for (const [i, j] of [0.2, 0.8, 0.6, 0.2].entries()) expect(js[i]).toBeCloseTo(j, 12);
    expect(sweep.rows[1]).toMatchObject({
      best: true,
      configured: false,
      confusion: {
        judgePassHumanPass: 5,
        judgePassHumanFail: 1,
        judgeFailHumanPass: 0,
        judgeFailHumanFail: 4,
      },
      tpr: { estimate: 1 },
      tnr: { estimate: 0.8 },
      agreement: 0.9,
    });
    expect(sweep.rows[1].kappa).toBeCloseTo(0.8, 12);
    expect(sweep.rows[2]).toMatchObject({ best: false, configured: true });
    expect(sweep.rows[2].confusion).toEqual(report.binary.confusion);

    expect(report.lengthBias.n).toBe(10);
    expect(report.lengthBias.judge).toBeCloseTo(spearmanRho(JUDGE, LENGTH_RANK), 12);
    expect(report.lengthBias.human).toBeCloseTo(spearmanRho(HUMAN, LENGTH_RANK), 12);
    expect(report.lengthBias.judge).toBeCloseTo(0.3677458, 6);
    expect(report.lengthBias.bias).toBe('rewards');

    expect(report.selfPreference).toEqual({
      judgeModels: ['fake:gpt-4o-mini'],
      targetModels: ['fake:gpt-4o'],
      sameFamily: [{ judgeModel: 'fake:gpt-4o-mini', targetModel: 'fake:gpt-4o' }],
    });
    expect(report.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^threshold: passing judge scores ≥ 3 matches the human pass\/fail \(human score ≥ 4\) better than the configured passThreshold 4 \(Youden J 0\.80 vs 0\.60\)/,
        ),
        'length bias: the judge rewards length more than the annotators do (Spearman ρ with output length 0.37 for the judge, -0.16 for the humans; n = 10)',
        expect.stringMatching(
          /^self-preference bias: judge fake:gpt-4o-mini grades outputs of fake:gpt-4o \(/,
        ),
      ]),
    );
  });

  it('keeps the validation record format: none of the new fields go into it', async () => {
    await validate('--json');
    const record = JSON.parse(
      readFileSync(join(project.dir, 'judges/score.judge.md.validation.json'), 'utf8'),
    );
    expect(Object.keys(record).sort()).toEqual(
      [
        'annotations',
        'confusion',
        'judge',
        'judgeModel',
        'judgeVersion',
        'kappa',
        'n',
        'status',
        'tnr',
        'tpr',
        'validatedAt',
      ].sort(),
    );
  });

  it('prints the sweep table, the length line and the warnings as text', async () => {
    const r = await validate();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/cutoff sweep \(human pass: human score ≥ 4; \* highest Youden J\)/);
    expect(r.stdout).toContain(
      [
        '    judge ≥  TPR                     TNR                     κ      agreement  J',
        '    2        100.0% [56.6%, 100.0%]  20.0% [3.6%, 62.4%]     0.20   60.0%      0.20',
        '    3        100.0% [56.6%, 100.0%]  80.0% [37.6%, 96.4%]    0.80   90.0%      0.80 *',
        '    4        60.0% [23.1%, 88.2%]    100.0% [56.6%, 100.0%]  0.60   80.0%      0.60 (configured)',
        '    5        20.0% [3.6%, 62.4%]     100.0% [56.6%, 100.0%]  0.20   60.0%      0.20',
      ].join('\n'),
    );
    expect(r.stdout).toMatch(/length: Spearman ρ with output length 0\.37 \(judge\) vs -0\.16 \(humans\)/);
    expect(r.stdout).toMatch(/warning: length bias: the judge rewards length more than the annotators do/);
    expect(r.stdout).toMatch(
      /warning: self-preference bias: judge fake:gpt-4o-mini grades outputs of fake:gpt-4o/,
    );
    expect(r.stdout).toMatch(/warning: threshold: passing judge scores ≥ 3/);
  });
});
