import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationKey } from '../../src/annotations/annotation-key.ts';
import { judgeStatus } from '../../src/judges/judge-status.ts';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

// `assay judge validate` end to end: a fake judge scripted to err at known rates (it passes exactly the
// outputs that contain ZAP) against known human annotations. 20 outputs: humans pass 11, the judge passes
// 9 of them and 1 of the 9 human fails → TPR 9/11, TNR 8/9, agreement 85 %, κ = 0.70 exactly.
const HUMAN_PASS_JUDGE_PASS = 9;
const HUMAN_PASS_JUDGE_FAIL = 2;
const HUMAN_FAIL_JUDGE_PASS = 1;
const HUMAN_FAIL_JUDGE_FAIL = 8;

let project: { dir: string; cleanup: () => void };
const humanVerdict = new Map<string, 'pass' | 'fail'>();

beforeAll(async () => {
  project = scratchProject(false);
  const cases: string[] = [];
  const add = (n: number, zap: boolean, human: 'pass' | 'fail'): void => {
    for (let i = 0; i < n; i++) {
      const id = `c${String(cases.length).padStart(2, '0')}`;
      humanVerdict.set(id, human);
      cases.push(`  - id: ${id}\n    vars: { answer: "answer ${id}${zap ? ' ZAP' : ''}" }\n`);
    }
  };
  add(HUMAN_PASS_JUDGE_PASS, true, 'pass');
  add(HUMAN_PASS_JUDGE_FAIL, false, 'pass');
  add(HUMAN_FAIL_JUDGE_PASS, true, 'fail');
  add(HUMAN_FAIL_JUDGE_FAIL, false, 'fail');
  const pass = JSON.stringify({ reasoning: 'has the marker', verdict: 'pass' });
  const fail = JSON.stringify({ reasoning: 'no marker', verdict: 'fail' });
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: jv',
      'prompts: [q.prompt.md]',
      'suites: [suites/main.yaml]',
      'models:',
      '  - id: fake:echo',
      '  - id: fake:judge',
      '    script: models/judge.yaml',
      '  - id: fake:lenient',
      '    script: models/lenient.yaml',
      '',
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  answer: string\n---\n{{ answer }}\n',
    'judges/quality.judge.md': '---\nmodel: fake:judge\n---\nThe reply must be helpful.\n',
    // A judge scripted to err more: it passes everything (TNR 0, κ 0).
    'judges/lenient.judge.md': '---\nmodel: fake:lenient\n---\nThe reply must be helpful.\n',
    'models/lenient.yaml': `default: ${JSON.stringify(pass)}\n`,
    'models/judge.yaml': `rules:\n  - contains: ZAP\n    reply: ${JSON.stringify(pass)}\ndefault: ${JSON.stringify(fail)}\n`,
    'suites/main.yaml': `name: main\ndefaults:\n  checks:\n    - type: judge\n      judge: ../judges/quality.judge.md\n    - type: judge\n      judge: ../judges/lenient.judge.md\ncases:\n${cases.join('')}`,
  });
  // -m fake:echo: the judge's model is not a target of the run, but the judge check can still call it.
  const evalRun = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo', '--json']);
  expect(evalRun.code).not.toBe(2);
  expect(evalRun.stderr).not.toMatch(/internal error|assay:/);
  // Before validation the report names the judge as unvalidated, and says it may not gate.
  const before = JSON.parse(evalRun.stdout).reports[0];
  expect(before.judges).toContainEqual({
    name: 'quality',
    file: 'judges/quality.judge.md',
    status: 'unvalidated',
    reason: expect.any(String),
  });
  expect(before.warnings.join('\n')).toMatch(
    /judge 'quality' \(judges\/quality\.judge\.md\) is unvalidated: .*it may report, not gate/,
  );
  const exported = await runCli(['export', '-C', project.dir, '-f', 'jsonl']);
  expect(exported.code).toBe(0);
  const annotations = exported.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((r) => r.caseId !== undefined && r.modelId === 'fake:echo')
    .map((r) =>
      JSON.stringify({
        key: annotationKey(r.output, r.caseId, r.promptVersion),
        caseId: r.caseId,
        annotator: 'ana',
        verdict: humanVerdict.get(r.caseId),
        at: '2026-11-24T08:00:00Z',
      }),
    );
  expect(annotations).toHaveLength(20);
  writeFileSync(join(project.dir, 'annotations.jsonl'), `${annotations.join('\n')}\n`);
}, 60_000);

afterAll(() => project?.cleanup());

describe('assay judge validate', () => {
  it('reports the scripted error rates and κ exactly, and the status', async () => {
    const r = await runCli([
      'judge',
      'validate',
      'judges/quality.judge.md',
      '--annotations',
      'annotations.jsonl',
      '-C',
      project.dir,
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.judge).toBe('quality');
    expect(report.n).toBe(20);
    expect(report.binary.confusion).toEqual({
      judgePassHumanPass: 9,
      judgePassHumanFail: 1,
      judgeFailHumanPass: 2,
      judgeFailHumanFail: 8,
    });
    expect(report.binary.agreement.estimate).toBe(0.85);
    expect(report.binary.kappa.estimate).toBeCloseTo(0.7, 12);
    expect(report.binary.tpr.estimate).toBe(9 / 11);
    expect(report.binary.tnr.estimate).toBe(8 / 9);
    expect(report.binary.direction).toBe('harsher');
    expect(report.status).toBe('validated');
    // only fake:echo was a target, and every one of its outputs was annotated
    expect(report.unmatched).toEqual({ judgeOnly: 0, annotationsOnly: 0, humanTies: 0 });
    // Length probe: the judge passes exactly the outputs 4 characters longer (' ZAP'), so ρ = 1; the humans'
    // ρ is the φ of their verdict with the marker, 70/√(11·9·10·10). The gap (0.30) flags the judge.
    expect(report.lengthBias.n).toBe(20);
    expect(report.lengthBias.judge).toBeCloseTo(1, 12);
    expect(report.lengthBias.human).toBeCloseTo(70 / Math.sqrt(9900), 12);
    expect(report.warnings).toContain(
      'length bias: the judge rewards length more than the annotators do (Spearman ρ with output length 1.00 for the judge, 0.70 for the humans; n = 20)',
    );
    // fake:judge and fake:echo are different families; binary judges have no cutoff to sweep.
    expect(report.selfPreference).toEqual({
      judgeModels: ['fake:judge'],
      targetModels: ['fake:echo'],
      sameFamily: [],
    });
    expect(report.warnings.join('\n')).not.toMatch(/self-preference/);
    expect(report.thresholdSweep).toBeUndefined();
    // the result is committed beside the judge, with the judge version and the annotations' hash
    expect(report.statusFile).toBe('judges/quality.judge.md.validation.json');
    const record = JSON.parse(readFileSync(join(project.dir, report.statusFile), 'utf8'));
    expect(record).toMatchObject({
      judge: 'quality',
      judgeVersion: report.judgeVersion,
      judgeModel: 'fake:judge',
      annotations: [
        {
          file: 'annotations.jsonl',
          sha256: createHash('sha256')
            .update(readFileSync(join(project.dir, 'annotations.jsonl')))
            .digest('hex'),
        },
      ],
      status: 'validated',
      tpr: 9 / 11,
      tnr: 8 / 9,
      n: 20,
    });
    expect(record.kappa).toBeCloseTo(0.7, 12);
    expect(Number.isNaN(Date.parse(record.validatedAt))).toBe(false);
    expect(await judgeStatus('judges/quality.judge.md', { root: project.dir })).toMatchObject({
      status: 'validated',
    });
    // …and from then on eval reports show it as validated, with no warning.
    const after = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo']);
    expect(after.stdout).toMatch(
      /judge quality \(judges\/quality\.judge\.md\): validated — validated on 20 annotated outputs/,
    );
    expect(after.stdout).not.toMatch(/judge 'quality' \(judges\/quality\.judge\.md\) is unvalidated/);
  });

  it('records a judge that errs more as weak', async () => {
    const r = await runCli([
      'judge',
      'validate',
      'judges/lenient.judge.md',
      '--annotations',
      'annotations.jsonl',
      '-C',
      project.dir,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.status).toBe('weak');
    expect(report.binary.tnr.estimate).toBe(0);
    const record = JSON.parse(
      readFileSync(join(project.dir, 'judges/lenient.judge.md.validation.json'), 'utf8'),
    );
    expect(record).toMatchObject({ judge: 'lenient', status: 'weak', kappa: 0, tpr: 1, tnr: 0, n: 20 });
    const status = await judgeStatus('judges/lenient.judge.md', { root: project.dir });
    expect(status.status).toBe('weak');
    expect(status.reason).toMatch(/TNR 0\.000/);
  });

  it('prints the confusion matrix, rates and status as text', async () => {
    const r = await runCli([
      'judge',
      'validate',
      'judges/quality.judge.md',
      '--annotations',
      'annotations.jsonl',
      '-C',
      project.dir,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/judge pass\s+9\s+1\n\s+judge fail\s+2\s+8/);
    expect(r.stdout).toMatch(/agreement 85\.0%\s+Cohen's κ 0\.70/);
    expect(r.stdout).toMatch(/TPR 81\.8%.*TNR 88\.9%/);
    expect(r.stdout).toMatch(/status: validated/);
    expect(r.stdout).toMatch(/recorded in judges\/quality\.judge\.md\.validation\.json/);
  });

  it('turns stale when the rubric or the annotations change, and back when restored', async () => {
    const judgePath = join(project.dir, 'judges/quality.judge.md');
    const rubric = readFileSync(judgePath, 'utf8');
    writeFileSync(judgePath, rubric.replace('helpful', 'helpful and brief'));
    let status = await judgeStatus('judges/quality.judge.md', { root: project.dir });
    expect(status.status).toBe('stale');
    expect(status.reason).toMatch(/the judge changed/);
    writeFileSync(judgePath, rubric.replace('fake:judge', 'fake:lenient'));
    expect((await judgeStatus('judges/quality.judge.md', { root: project.dir })).status).toBe('stale');
    writeFileSync(judgePath, rubric);
    expect((await judgeStatus('judges/quality.judge.md', { root: project.dir })).status).toBe('validated');

    const annPath = join(project.dir, 'annotations.jsonl');
    const annotations = readFileSync(annPath, 'utf8');
    writeFileSync(annPath, `${annotations}${annotations.split('\n')[0]}\n`);
    status = await judgeStatus('judges/quality.judge.md', { root: project.dir });
    expect(status).toEqual({
      status: 'stale',
      reason: 'annotation file annotations.jsonl changed since the judge was validated',
    });
    writeFileSync(annPath, annotations);
    expect((await judgeStatus('judges/quality.judge.md', { root: project.dir })).status).toBe('validated');
    expect((await judgeStatus('judges/other.judge.md', { root: project.dir })).status).toBe('unvalidated');
  });

  it('exits 2 with a hint when nothing pairs with the annotations', async () => {
    writeFileSync(join(project.dir, 'empty.jsonl'), '');
    const r = await runCli([
      'judge',
      'validate',
      'judges/quality.judge.md',
      '--annotations',
      'empty.jsonl',
      '-C',
      project.dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /has a pass\/fail annotation in empty\.jsonl; annotate them with `assay annotate/,
    );
  });

  it('exits 2 when the run holds no verdicts of the judge', async () => {
    writeFiles(project.dir, { 'judges/other.judge.md': '---\nmodel: fake:judge\n---\nSomething else.\n' });
    const r = await runCli([
      'judge',
      'validate',
      'judges/other.judge.md',
      '--annotations',
      'annotations.jsonl',
      '-C',
      project.dir,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no verdicts of judge 'other'/);
    expect(readFileSync(join(project.dir, 'annotations.jsonl'), 'utf8')).not.toBe('');
  });
});
