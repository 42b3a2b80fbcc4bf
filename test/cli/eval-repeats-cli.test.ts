import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

/**
 * `assay eval --repeat k` end to end with the scripted fake model: pass@1 with its interval over cases,
 * pass^k, the flaky list, the variance advice and the cluster-robust interval, in text and in --json.
 * 12 cases in 4 clusters × 3 repeats. case-1 always fails; case-2 fails its first call only (flaky, 2/3).
 */
const project = scratchProject(false);
beforeAll(() => {
  const cases = Array.from(
    { length: 12 },
    (_, i) => `  - id: case-${i}\n    cluster: doc-${i % 4}\n    vars: { message: "case-${i}." }\n`,
  );
  writeFiles(project.dir, {
    'assay.yaml':
      'name: repeats\nprompts: [prompts/*.prompt.md]\nsuites: [suites/main.yaml]\nmodels:\n  - id: fake:bot\n    script: bot.yaml\n',
    'bot.yaml':
      'rules:\n  - contains: "case-1."\n    reply: bad\n  - contains: "case-2."\n    times: 1\n    reply: bad\ndefault: ok\n',
    'prompts/p.prompt.md': '---\nvariables:\n  message: string\n---\n# user\n{{ message }}\n',
    'suites/main.yaml': `defaults:\n  checks:\n    - equals: ok\ncases:\n${cases.join('')}`,
  });
});
afterAll(() => project.cleanup());

describe('assay eval --repeat (CLI)', () => {
  it('reports pass@1 over cases, pass^k, flaky cases, variance advice and clusters; --json carries them', async () => {
    const r = await runCli(['eval', '-C', project.dir, '--repeat', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout).reports[0];
    const g = report.summary.groups[0];
    expect(g).toMatchObject({ scored: 36, passed: 32, cases: 12 });
    // pass@1 = (10·1 + 0 + 2/3)/12, interval over the 12 cases (bootstrap: n < 30), seeded with the run's seed
    expect(g.passRate.estimate).toBeCloseTo((10 + 2 / 3) / 12, 12);
    expect(g.passRate).toMatchObject({ method: 'bootstrap over cases', n: 12, confidence: 0.95 });
    expect(g.passRate.lower).toBeLessThan(g.passRate.estimate);
    expect(g.repeats).toMatchObject({ cases: 12, k: 3, flaky: [{ caseId: 'case-2', passes: 2, k: 3 }] });
    expect(g.repeats.passHatK.map((e: { k: number }) => e.k)).toEqual([1, 2, 3]);
    // pass^3: 10 cases pass every repeat, case-2 cannot (2/3) → 10/12
    expect(g.repeats.passHatK[2].estimate).toBeCloseTo(10 / 12, 12);
    expect(g.repeats.passAtK[2].estimate).toBeCloseTo(11 / 12, 12);
    expect(['more cases', 'more repeats']).toContain(g.repeats.variance.advice);
    expect(typeof g.repeats.seed).toBe('number');
    expect(g.clustered).toMatchObject({ clusters: 4, n: 12, method: 'cluster-robust CR1, t(C−1)' });
    expect(report.warnings.join('\n')).toMatch(/only 4 clusters; cluster-robust intervals are unreliable/);
    expect(report.warnings.join('\n')).toMatch(/only 12 cases/);

    // the same stored run, as text: every headline number `estimate [CI] method (n)`
    const text = await runCli(['runs', 'show', 'latest', '-C', project.dir]);
    expect(text.code).toBe(0);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    expect(text.stdout).toContain(
      `pass@1    ${pct(g.passRate.estimate)} [${(100 * g.passRate.lower).toFixed(1)}, ${(100 * g.passRate.upper).toFixed(1)}] bootstrap over cases (12 cases × 3)`,
    );
    expect(text.stdout).toMatch(/pass rate \[95% CI bootstrap over cases\]/);
    expect(text.stdout).toMatch(/32\/36 \(12 cases × 3\)/);
    expect(text.stdout).toMatch(/pass\^3 83\.3% \[/);
    expect(text.stdout).toMatch(
      /flaky {5}1\/12 cases \(8\.3%\) pass on some repeats but not all: case-2 2\/3/,
    );
    expect(text.stdout).toMatch(
      /variance {2}between cases \d\.\d{3} · within case \d\.\d{3} .*→ next budget: add/,
    );
    expect(text.stdout).toMatch(/cluster-robust CR1, t\(C−1\) \(12 cases in 4 clusters; design effect/);
    // recomputing the report gives the same bootstrap numbers (seeded)
    const again = JSON.parse((await runCli(['runs', 'show', 'latest', '-C', project.dir, '--json'])).stdout);
    expect(again.report.summary.groups[0].passRate).toEqual(g.passRate);
    expect(again.report.summary.groups[0].repeats).toEqual(g.repeats);
  });
});
