import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJudgeFile } from '../../src/judges/judge-file.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// `assay compare` on runs whose checks are LLM judges: `tone` (validated here by a record the test
// writes) and `refund` (unvalidated). Run A and B use the same judges; run C is made after the rubric of
// `tone` changed, so its results carry another judge version.
const PASS = JSON.stringify({ reasoning: 'ok', verdict: 'pass' });
const FAIL = JSON.stringify({ reasoning: 'no', verdict: 'fail' });
const TONE_V1 = '---\nmodel: fake:judge\n---\nThe reply must be warm.\n';
const TONE_V2 = '---\nmodel: fake:judge\n---\nThe reply must be warm and short.\n';

let project: { dir: string; cleanup: () => void };
const runs: Record<string, string> = {};
let versions: { v1: string; v2: string };

async function evalRun(): Promise<string> {
  const r = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo', '--json']);
  expect(r.stderr).not.toMatch(/internal error|assay:/);
  return JSON.parse(r.stdout).reports[0].run.id as string;
}

beforeAll(async () => {
  project = scratchProject(false);
  versions = {
    v1: parseJudgeFile(TONE_V1, 'judges/tone.judge.md').version,
    v2: parseJudgeFile(TONE_V2, 'judges/tone.judge.md').version,
  };
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: compare-judges',
      'prompts: [q.prompt.md]',
      'suites: [suites/main.yaml]',
      'models:',
      '  - id: fake:echo',
      '  - id: fake:judge',
      '    script: judge.yaml',
      '',
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  answer: string\n---\n{{ answer }}\n',
    'judge.yaml': `rules:\n  - contains: GOOD\n    reply: ${JSON.stringify(PASS)}\ndefault: ${JSON.stringify(FAIL)}\n`,
    'judges/tone.judge.md': TONE_V1,
    'judges/refund.judge.md': '---\nmodel: fake:judge\n---\nThe reply must offer a refund.\n',
    'suites/main.yaml': `name: main\ndefaults:\n  checks:\n    - type: judge\n      judge: ../judges/tone.judge.md\n    - type: judge\n      judge: ../judges/refund.judge.md\ncases:\n${Array.from(
      { length: 12 },
      (_, i) => `  - id: c${i}\n    vars: { answer: "answer ${i}${i % 3 ? ' GOOD' : ''}" }\n`,
    ).join('')}`,
  });
  runs.a = await evalRun();
  runs.b = await evalRun();
  writeFiles(project.dir, { 'judges/tone.judge.md': TONE_V2 });
  runs.c = await evalRun();
  // `tone` is validated at its current version; `refund` has no record.
  writeFiles(project.dir, {
    'judges/tone.judge.md.validation.json': JSON.stringify({
      judge: 'tone',
      judgeVersion: versions.v2,
      judgeModel: 'fake:judge',
      annotations: [],
      status: 'validated',
      kappa: 0.8,
      tpr: 0.9,
      tnr: 0.9,
      n: 60,
      validatedAt: '2026-01-01T00:00:00.000Z',
    }),
  });
});
afterAll(() => project.cleanup());

describe('compare: the judges behind the checks', () => {
  it('shows each judge status, with no warning when both runs used the same judge versions', async () => {
    const r = await runCli(['compare', runs.a as string, runs.b as string, '-C', project.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^judges$/m);
    expect(r.stdout).toMatch(
      /^ {2}judge refund \(judges\/refund\.judge\.md\): unvalidated — no judges\/refund\.judge\.md\.validation\.json · versions A \w+, B \w+$/m,
    );
    // Validated now, but at the new version: the line says which version the runs used.
    expect(r.stdout).toMatch(
      new RegExp(
        `judge tone \\(judges/tone\\.judge\\.md\\): validated — .*; that is the status of its current version ${versions.v2}, not of ${versions.v1} used by the runs · versions A ${versions.v1}, B ${versions.v1}`,
      ),
    );
    expect(r.stdout).not.toMatch(/changed between the runs/);
  });

  it('warns when the runs used different judge versions, in text and --json', async () => {
    const r = await runCli(['compare', runs.a as string, runs.c as string, '-C', project.dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `warning: judge tone changed between the runs (version ${versions.v1} in A, ${versions.v2} in B): differences may come from the judge`,
    );
    expect(r.stdout).not.toMatch(/judge refund changed/);
    const j = await runCli(['compare', runs.a as string, runs.c as string, '-C', project.dir, '--json']);
    const json = JSON.parse(j.stdout);
    expect(json.judges).toEqual([
      {
        name: 'refund',
        file: 'judges/refund.judge.md',
        status: 'unvalidated',
        reason: expect.any(String),
        runs: [
          { runId: runs.a, versions: [expect.any(String)] },
          { runId: runs.c, versions: [expect.any(String)] },
        ],
        changed: false,
      },
      {
        name: 'tone',
        file: 'judges/tone.judge.md',
        status: 'validated',
        reason: expect.stringMatching(/validated on 60 annotated outputs/),
        runs: [
          { runId: runs.a, versions: [versions.v1] },
          { runId: runs.c, versions: [versions.v2] },
        ],
        changed: true,
      },
    ]);
    expect(json.comparisons[0].warnings).toContainEqual(
      expect.stringMatching(/^judge tone changed between the runs/),
    );
  });

  it('outside the project: the judge names from the stored results, status unknown', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'assay-nowhere-'));
    try {
      const store = join(project.dir, '.assay/assay.db');
      const r = await runCli([
        'compare',
        runs.a as string,
        runs.c as string,
        '--store',
        store,
        '-C',
        elsewhere,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /^ {2}judge refund: unknown \(not in this project\) · versions A \w+, B \w+$/m,
      );
      expect(r.stdout).toMatch(/^ {2}judge tone: unknown \(not in this project\)/m);
      expect(r.stdout).toMatch(/judge tone changed between the runs/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
