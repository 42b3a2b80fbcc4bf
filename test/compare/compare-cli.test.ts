import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// `assay compare` on real runs made by `assay eval` with the scripted `fake:bot`. The prompt's user
// message starts with a marker that changes per version (V1, V2, V3); the script keys on it:
//   V1: q05 fails                                   (the baseline)
//   V2: q03, q07 (protected), q12 fail; q20 errors   (3 regressions, 1 improvement, 1 errored case)
//   V3: every case passes                           (1 improvement)
const script = `rules:
  - match: "^V1 item 05$"
    reply: "NO"
  - match: "^V2 item (03|07|12)$"
    reply: "NO"
  - match: "^V2 item 20$"
    error: { kind: client, message: scripted failure }
default: OK
`;

const ids = Array.from({ length: 40 }, (_, i) => String(i + 1).padStart(2, '0'));
const suite = (prefix: string) =>
  `defaults:\n  checks:\n    - contains: OK\ncases:\n${ids
    .map(
      (n) =>
        `  - id: ${prefix}${n}\n    vars: { question: item ${n} }\n${n === '07' ? '    protected: true\n' : ''}`,
    )
    .join('')}`;
const prompt = (marker: string) =>
  `---\nname: bot\nvariables:\n  question: string\n---\n# user\n${marker} {{ question }}\n`;

let project: { dir: string; cleanup: () => void };
const runs: Record<string, string> = {};

async function evalVersion(marker: string, suiteName = 'main'): Promise<string> {
  writeFiles(project.dir, { 'prompts/bot.prompt.md': prompt(marker) });
  const r = await runCli(['eval', '-C', project.dir, '-s', suiteName, '--json']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).reports[0].run.id as string;
}

beforeAll(async () => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: compare-test',
      'prompts: [prompts/*.prompt.md]',
      'suites: [suites/main.yaml, suites/other.yaml]',
      'models:',
      '  - id: fake:bot',
      '    script: bot.yaml',
      'defaults:',
      '  maxRetries: 0',
    ].join('\n'),
    'bot.yaml': script,
    'suites/main.yaml': suite('q'),
    'suites/other.yaml': suite('z'),
  });
  runs.v1 = await evalVersion('V1');
  runs.v2 = await evalVersion('V2');
  runs.v3 = await evalVersion('V3');
  runs.other = await evalVersion('V1', 'other');
}, 60_000);

afterAll(() => project?.cleanup());

describe('assay compare (CLI, runs from assay eval with a scripted fake model)', () => {
  it('lists exactly the flipped cases, regressions first (protected first), the 2×2 table, the errored case, exit 0', async () => {
    const r = await runCli(['compare', runs.v1 as string, runs.v2 as string, '-C', project.dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('B vs A · 39 paired cases (1 dropped for errors, 0 unmatched)');
    expect(r.stdout).toMatch(/B pass\s+B fail\n\s+A pass\s+35\s+3\n\s+A fail\s+1\s+0/);
    expect(r.stdout).toContain('regressions (A pass → B fail): q07 (protected), q03, q12\n');
    expect(r.stdout).toContain('improvements (A fail → B pass): q05\n');
    expect(r.stdout).toContain('errored (dropped): q20 [B]');
    expect(r.stdout).toMatch(/exact McNemar p = 0\.6[23]\b/);
    expect(r.stdout).toMatch(/verdict {4}no detectable difference; MDE at n=39 ≈ \d+\.\d pts \(80% power\)/);
  });

  it('--json carries the same data: flips, pairing, table, verdict, seed', async () => {
    const r = await runCli(['compare', runs.v1 as string, runs.v2 as string, '-C', project.dir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.family).toBe(1);
    const [c] = out.comparisons;
    expect(c.flips).toEqual([
      { caseId: 'q07', kind: 'regression', from: 1, to: 0, protected: true },
      { caseId: 'q03', kind: 'regression', from: 1, to: 0, protected: false },
      { caseId: 'q12', kind: 'regression', from: 1, to: 0, protected: false },
      { caseId: 'q05', kind: 'improvement', from: 0, to: 1, protected: false },
    ]);
    expect(c.pairing).toMatchObject({
      paired: 39,
      onlyInBaseline: [],
      onlyInCandidate: [],
      errored: [{ caseId: 'q20', side: 'candidate', protected: false }],
    });
    expect(c.table).toEqual({ bothPass: 35, baselineOnly: 3, candidateOnly: 1, bothFail: 0 });
    expect(c.p).toBeCloseTo(0.625, 12);
    expect(c.verdict).toBe('no detectable difference');
    expect(c.seed).toBe(0);
    expect(c.baseline.runId).toBe(runs.v1);
    expect(c.candidateRun.id).toBe(runs.v2);
    expect(out.baselineRun.id).toBe(runs.v1);
  });

  it('several candidates: Holm-adjusted, sorted by effect, family size printed; latest~N names runs', async () => {
    const r = await runCli([
      'compare',
      runs.v1 as string,
      runs.v2 as string,
      runs.v3 as string,
      '-C',
      project.dir,
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toContain('2 comparisons against one baseline · family of 2, p-values Holm-adjusted');
    expect(lines[1]).toMatch(/bot@\w+ × fake:bot {2}\+2\.5 pts .* p = 1\.00 {2}p\(Holm\) = 1\.00/);
    expect(lines[2]).toMatch(/bot@\w+ × fake:bot {2}-5\.1 pts/);
    const j = await runCli(['compare', 'latest~3', 'latest~1', 'latest~2', '-C', project.dir, '--json']);
    expect(j.code).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.baselineRun.id).toBe(runs.v1);
    expect(out.comparisons.map((c: { candidateRun: { id: string } }) => c.candidateRun.id)).toEqual([
      runs.v3,
      runs.v2,
    ]);
    expect(out.comparisons.every((c: { family: number }) => c.family === 2)).toBe(true);
  });

  it('--metric score: bootstrap interval with its seed, permutation p, W/T/L', async () => {
    const r = await runCli([
      'compare',
      runs.v1 as string,
      runs.v2 as string,
      '-C',
      project.dir,
      '--metric',
      'score',
      '--seed',
      '11',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const [c] = JSON.parse(r.stdout).comparisons;
    expect(c.metric).toBe('score');
    expect(c.score).toMatchObject({
      wins: 1,
      ties: 35,
      losses: 3,
      bootstrap: { seed: 11, resamples: 10000 },
    });
    expect(c.difference.method).toBe('paired bootstrap percentile (10000 resamples, seed 11)');
    expect(c.test).toBe('sign-flip permutation (exact)');
    expect(c.score.permutation.p).toBeCloseTo(0.625, 12);
  });

  it('usage errors exit 2: an unknown run, runs with no case in common, a bad flag', async () => {
    const unknown = await runCli(['compare', 'ffffffffffff', runs.v2 as string, '-C', project.dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^assay: no run 'ffffffffffff' in the store/);
    const disjoint = await runCli(['compare', runs.v1 as string, runs.other as string, '-C', project.dir]);
    expect(disjoint.code).toBe(2);
    expect(disjoint.stderr).toMatch(
      /have no scored case in common \(40 only in the baseline, 40 only in the candidate/,
    );
    const flag = await runCli([
      'compare',
      runs.v1 as string,
      runs.v2 as string,
      '-C',
      project.dir,
      '--metric',
      'f1',
    ]);
    expect(flag.code).toBe(2);
    const none = await runCli(['compare', runs.v1 as string, '-C', project.dir]);
    expect(none.code).toBe(2);
  });
});
