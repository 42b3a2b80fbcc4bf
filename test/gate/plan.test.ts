import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { plan } from '../../src/app/plan.ts';
import { runCli } from '../cli/cli-harness.ts';
import { gateProject, setVersion } from './gate-fixture.ts';

// Closed forms of research notes §1.5 / §4.8, with the quantiles written out (scipy.stats.norm.ppf):
// M = z_{0.975} + z_{0.8}; n = ⌈M²·V·DE / δ²⌉; MDE = M·√(V·DE / n).
const Z975 = 1.959963984540054;
const Z80 = 0.8416212335729143;
const M = Z975 + Z80;

describe('assay plan: closed forms', () => {
  it('cases needed, unpaired (V = 2p(1 − p), per version) and paired (ρ = 0.5: V = 2p(1 − p)(1 − ρ); discordance: V = P(disc))', async () => {
    const unpaired = await plan({ baselineRate: 0.7, delta: 0.1 });
    expect(unpaired.cases).toBe(Math.ceil((M * M * 2 * 0.7 * 0.3) / 0.01));
    expect(unpaired.cases).toBe(330); // §4.8: δ = 10 pts → 330 unpaired
    const rho = await plan({ baselineRate: 0.7, delta: 0.1, paired: true });
    expect(rho.cases).toBe(165); // §4.8: 165 paired (ρ = 0.5)
    expect(rho.correlation).toBe(0.5);
    const disc = await plan({ baselineRate: 0.8, delta: 0.05, discordance: 0.1 });
    expect(disc.paired).toBe(true);
    expect(disc.cases).toBe(Math.ceil((M * M * 0.1) / 0.05 ** 2));
    for (const [delta, unp, par] of [
      [0.05, 1319, 660],
      [0.03, 3663, 1832],
      [0.02, 8242, 4121],
    ] as const) {
      expect((await plan({ baselineRate: 0.7, delta })).cases).toBe(unp);
      expect((await plan({ baselineRate: 0.7, delta, paired: true })).cases).toBe(par);
    }
  });

  it('the MDE at n, with repeats (DE_k = 1 + (k − 1)·ICC over n·k trials) and clusters (DE = 1 + (m − 1)·ICC)', async () => {
    const p = await plan({ baselineRate: 0.8, n: 200, discordance: 0.1, repeats: 3, icc: 0.5 });
    expect(p.mode).toBe('mde');
    expect(p.mde).toBeCloseTo(M * Math.sqrt((0.1 * (1 + 2 * 0.5)) / (200 * 3)), 12);
    const c = await plan({ baselineRate: 0.7, n: 100, clusterSize: 10, clusterIcc: 0.2 });
    expect(c.mde).toBeCloseTo(M * Math.sqrt((2 * 0.21 * 2.8) / 100), 12);
    const both = await plan({
      baselineRate: 0.7,
      delta: 0.1,
      paired: true,
      repeats: 4,
      icc: 0.3,
      clusterSize: 5,
      clusterIcc: 0.1,
    });
    const de = (1 + 3 * 0.3) * (1 + 4 * 0.1);
    expect(both.cases).toBe(Math.ceil((M * M * 0.21 * de) / (4 * 0.01) - 1e-9));
    expect(both.calls).toBe((both.cases as number) * 4 * 2);
    // With alpha and power changed: the quantiles of 0.995 and 0.9.
    const strict = await plan({ baselineRate: 0.5, delta: 0.1, alpha: 0.01, power: 0.9 });
    const m2 = 2.5758293035489004 + 1.2815515655446004;
    expect(strict.cases).toBe(Math.ceil((m2 * m2 * 2 * 0.25) / 0.01));
  });

  it("the §4.8 table for the user's p reproduces the published one at p = 0.7", async () => {
    const p = await plan({ baselineRate: 0.7, n: 50 });
    const r1 = (x: number) => Math.round(1000 * x) / 10;
    expect(
      p.table.map((r) => [
        r.n,
        r1(r.halfWidth),
        r1(r.mdeUnpaired),
        r1(r.mdePairedRho05),
        r1(r.mdePairedRho07),
      ]),
    ).toEqual([
      [30, 16.4, 33.1, 23.4, 18.2],
      [50, 12.7, 25.7, 18.2, 14.1],
      [100, 9.0, 18.2, 12.8, 9.9],
      [200, 6.4, 12.8, 9.1, 7.0],
      [500, 4.0, 8.1, 5.7, 4.4],
      [1000, 2.8, 5.7, 4.1, 3.1],
    ]);
  });

  it('usage errors are exit 2', async () => {
    await expect(plan({ baselineRate: 0.7 })).rejects.toMatchObject({ exitCode: 2 });
    await expect(plan({ baselineRate: 0.7, delta: 0.1, n: 10 })).rejects.toMatchObject({ exitCode: 2 });
    await expect(plan({ delta: 0.1 })).rejects.toMatchObject({ exitCode: 2 });
    await expect(plan({ baselineRate: 0.7, delta: 0.1, repeats: 3 })).rejects.toThrow(
      /--repeats needs --icc/,
    );
  });
});

describe('assay plan --pilot RUN --against RUN2', () => {
  let project: ReturnType<typeof gateProject>;
  const env = { PATH: process.env.PATH ?? '' };
  let base: string;
  let worse: string;
  beforeAll(async () => {
    project = gateProject();
    setVersion(project.dir, 'BASE');
    base = (await evaluate({ cwd: project.dir, env })).report.run.id;
    setVersion(project.dir, 'WORSE');
    worse = (await evaluate({ cwd: project.dir, env })).report.run.id;
  });
  afterAll(() => project?.cleanup());

  it('takes the baseline rate from the pilot and the discordance from the pair', async () => {
    const p = await plan({ cwd: project.dir, pilot: base, against: worse, delta: 0.1 });
    expect(p.pilot).toEqual({ run: base, passed: 29, scored: 30, errors: 0 });
    expect(p.against).toEqual({ run: worse, paired: 30, discordant: 10 });
    expect(p.baselineRate).toBeCloseTo(29 / 30, 15);
    expect(p.discordance).toBeCloseTo(10 / 30, 15);
    expect(p.cases).toBe(Math.ceil((M * M * (10 / 30)) / 0.01));
  });

  it('CLI: text with the table, and --json', async () => {
    const text = await runCli(['plan', '-C', project.dir, '--pilot', base, '--n', '60']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`pilot run ${base}: 29/30 passed`);
    expect(text.stdout).toMatch(/minimum detectable effect with 60 cases: \d+\.\d pts/);
    expect(text.stdout).toContain('half-width, one prompt');
    const json = await runCli(['plan', '--baseline-rate', '0.7', '--delta', '0.1', '--paired', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ mode: 'sample-size', cases: 165, paired: true });
    const bad = await runCli(['plan', '--baseline-rate', '1.5', '--delta', '0.1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'1.5' is not a number strictly between 0 and 1");
  });
});
