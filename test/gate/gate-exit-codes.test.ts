import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { type GateOptions, gate } from '../../src/app/gate.ts';
import { gateProject, setVersion } from './gate-fixture.ts';

let project: ReturnType<typeof gateProject>;
const env = { PATH: process.env.PATH ?? '' }; // no GITHUB_STEP_SUMMARY, no keys
beforeAll(() => {
  project = gateProject();
});
afterAll(() => project?.cleanup());

/** Evaluates the prompt with `base` stored as the baseline run, then gates the `candidate` version evaluated now. */
async function scenario(base: string, candidate: string, opts: Partial<GateOptions> = {}) {
  setVersion(project.dir, base);
  const baseline = await evaluate({ cwd: project.dir, env });
  setVersion(project.dir, candidate);
  return gate({ cwd: project.dir, env, baseline: baseline.report.run.id, ...opts });
}

const regressions = (r: Awaited<ReturnType<typeof gate>>) =>
  r.comparisons.flatMap((c) =>
    c.comparison.flips.filter((f) => f.kind === 'regression').map((f) => f.caseId),
  );

describe('assay gate: exit codes on a scripted fake model', () => {
  it('better → 0', async () => {
    const r = await scenario('WORSE', 'BASE');
    expect(r.comparisons[0]?.comparison.verdict).toBe('better');
    expect(regressions(r)).toEqual([]);
    expect(r.exitCode).toBe(0);
    expect(r.verdict).toBe('pass');
    expect(r.reasons).toEqual([]);
  });

  it('significantly worse → 1, naming the regressed cases', async () => {
    const r = await scenario('BASE', 'WORSE');
    expect(r.comparisons[0]?.comparison.verdict).toBe('worse');
    expect(regressions(r).sort()).toEqual([
      'c03',
      'c04',
      'c05',
      'c06',
      'c07',
      'c08',
      'c09',
      'c10',
      'c11',
      'c12',
    ]);
    expect(r.exitCode).toBe(1);
    expect(r.verdict).toBe('fail');
    expect(r.reasons.join('\n')).toMatch(/qa · fake:bot: worse: −33\.3 pts .* exact McNemar p = 0\.002/);
  });

  it('no detectable difference (one regression, one improvement) → 0', async () => {
    const r = await scenario('BASE', 'SWAP');
    const c = r.comparisons[0]?.comparison;
    expect(c?.verdict).toBe('no detectable difference');
    expect(c?.flips.map((f) => `${f.kind}:${f.caseId}`)).toEqual(['regression:c03', 'improvement:c30']);
    expect(r.exitCode).toBe(0);
  });

  it('a protected case regressed → 1 (though not significant)', async () => {
    const r = await scenario('BASE', 'PROT');
    expect(r.comparisons[0]?.comparison.verdict).toBe('no detectable difference');
    expect(r.exitCode).toBe(1);
    expect(r.reasons).toEqual(['cases · qa · fake:bot: protected case c01 regressed (pass → fail)']);
    expect(r.checks.find((c) => c.name === 'protected case c02')?.ok).toBe(true);
  });

  it('a protected case errored → 1, whether or not errors are allowed (a quality failure comes first)', async () => {
    const allowed = await scenario('BASE', 'PERR', { maxErrorRate: 0.5 });
    expect(allowed.exitCode).toBe(1);
    expect(allowed.reasons).toEqual(['cases · qa · fake:bot: protected case c01 errored in the candidate']);
    const strict = await scenario('BASE', 'PERR');
    expect(strict.exitCode).toBe(1);
    expect(strict.verdict).toBe('fail');
    expect(strict.reasons).toEqual([
      'cases · qa · fake:bot: protected case c01 errored in the candidate',
      'cases: 1/30 candidate results errored (3.3%), over the limit of 0%: an error can hide a regression; fix the errors or raise --max-error-rate',
    ]);
  });

  it('errors over --max-error-rate → 3 (default 0); under it → 0', async () => {
    const r = await scenario('BASE', 'ERR');
    expect(r.exitCode).toBe(3);
    expect(r.reasons).toEqual([
      'cases: 2/30 candidate results errored (6.7%), over the limit of 0%: an error can hide a regression; fix the errors or raise --max-error-rate',
    ]);
    const ok = await scenario('BASE', 'ERR', { maxErrorRate: 0.1 });
    expect(ok.exitCode).toBe(0);
    expect(ok.comparisons[0]?.comparison.pairing.errored.map((e) => e.caseId)).toEqual(['c03', 'c04']);
  });

  it('more regressions than --max-regressions → 1; at the limit → 0', async () => {
    const over = await scenario('BASE', 'TWO', { maxRegressions: 1 });
    expect(over.comparisons[0]?.comparison.verdict).toBe('no detectable difference');
    expect(over.exitCode).toBe(1);
    expect(over.reasons[0]).toMatch(/2 case\(s\) regressed \(c03, c04\), more than --max-regressions 1/);
    const at = await scenario('BASE', 'TWO', { maxRegressions: 2 });
    expect(at.exitCode).toBe(0);
  });

  it('nothing scored → 3', async () => {
    const r = await scenario('BASE', 'ALLERR', { maxErrorRate: 1 });
    expect(r.exitCode).toBe(3);
    expect(r.reasons).toEqual(['cases · qa · fake:bot: no case was scored in both runs; nothing to compare']);
  });

  it('two stored runs: --candidate; JUnit and Markdown written, $GITHUB_STEP_SUMMARY appended', async () => {
    setVersion(project.dir, 'BASE');
    const a = await evaluate({ cwd: project.dir, env });
    setVersion(project.dir, 'PROT');
    const b = await evaluate({ cwd: project.dir, env });
    const summary = join(project.dir, 'summary.md');
    const r = await gate({
      cwd: project.dir,
      env: { ...env, GITHUB_STEP_SUMMARY: summary },
      baseline: a.report.run.id,
      candidate: b.report.run.id.slice(0, 8),
      junit: 'gate.xml',
      markdown: 'gate.md',
    });
    expect(r.exitCode).toBe(1);
    expect(r.baseline.runs).toEqual([a.report.run.id]);
    expect(r.candidate.runs).toEqual([b.report.run.id]);
    const xml = readFileSync(join(project.dir, 'gate.xml'), 'utf8');
    expect(xml).toContain('<testsuite name="assay gate" tests="8" failures="1" errors="0">');
    for (const name of [
      'baseline run status',
      'candidate run status',
      'baseline error rate',
      'significance',
      'regressions',
      'protected case c01',
      'protected case c02',
      'error rate',
    ])
      expect(xml).toContain(`name="${name}"`);
    expect(xml).toMatch(
      /<failure type="regression" message="cases · qa · fake:bot: protected case c01 regressed/,
    );
    const md = readFileSync(join(project.dir, 'gate.md'), 'utf8');
    expect(md).toMatch(/^## ❌ assay gate: FAIL \(exit 1\)/);
    expect(md).toContain('**Regressions** (A pass → B fail): `c01` **(protected)**');
    expect(md).toContain('**Verdict:** no detectable difference; MDE at n=30');
    expect(readFileSync(summary, 'utf8')).toBe(`${md}\n`);
    // Appended, not replaced: a second gate adds its own summary.
    await gate({
      cwd: project.dir,
      env: { ...env, GITHUB_STEP_SUMMARY: summary },
      baseline: a.report.run.id,
      candidate: a.report.run.id,
    });
    expect(readFileSync(summary, 'utf8')).toMatch(/FAIL \(exit 1\)[\s\S]*## ✅ assay gate: PASS \(exit 0\)/);
  });
});
