import { describe, expect, it } from 'vitest';
import { holm } from '../stats/multiple-comparisons.ts';
import { summarizeResults } from '../stats/summarize-results.ts';
import type { ResultRecord, ResultStatus } from '../types.ts';
import { compareFamily } from './compare-family.ts';
import { compareResults } from './compare-runs.ts';
import { decideVerdict } from './decide-verdict.ts';

function rec(
  runId: string,
  caseId: string,
  status: ResultStatus,
  extra: Partial<ResultRecord> = {},
): ResultRecord {
  return {
    runId,
    prompt: 'support',
    promptVersion: `v-${runId}`,
    modelId: 'fake:bot',
    caseId,
    repeat: 0,
    status,
    checks: [],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...(status === 'error' ? { error: { kind: 'server', message: 'boom' } } : {}),
    ...extra,
  };
}

/** Two runs from a paired 2×2 table: a both pass, b A only, c B only, d both fail (case ids c0, c1, …). */
function fromTable(a: number, b: number, c: number, d: number): { A: ResultRecord[]; B: ResultRecord[] } {
  const A: ResultRecord[] = [];
  const B: ResultRecord[] = [];
  let i = 0;
  const add = (count: number, sa: ResultStatus, sb: ResultStatus) => {
    for (let k = 0; k < count; k++, i++) {
      A.push(rec('A', `c${i}`, sa));
      B.push(rec('B', `c${i}`, sb));
    }
  };
  add(a, 'pass', 'pass');
  add(b, 'pass', 'fail');
  add(c, 'fail', 'pass');
  add(d, 'fail', 'fail');
  return { A, B };
}

describe('compareResults, pass metric', () => {
  it('reproduces the worked example of stats-judges.md §8.2 / §8.7: (38, 4, 10, 8)', () => {
    const { A, B } = fromTable(38, 4, 10, 8);
    const c = compareResults(A, B);
    expect(c.pairing.paired).toBe(60);
    expect(c.table).toEqual({ bothPass: 38, baselineOnly: 4, candidateOnly: 10, bothFail: 8 });
    expect(c.difference.estimate).toBeCloseTo(0.1, 12);
    expect(c.difference.lower).toBeCloseTo(-0.0251, 4);
    expect(c.difference.upper).toBeCloseTo(0.2228, 4);
    expect(c.difference.method).toMatch(/Newcombe/);
    expect(c.test).toBe('exact McNemar');
    expect(c.p).toBeCloseTo(0.1796, 4);
    expect(c.baseline.passRate).toMatchObject({ passed: 42, n: 60, method: 'wilson' });
    expect(c.baseline.passRate?.lower).toBeCloseTo(0.5749, 4);
    expect(c.baseline.passRate?.upper).toBeCloseTo(0.801, 4);
    expect(c.candidate.passRate?.estimate).toBeCloseTo(0.8, 12);
    expect(c.verdict).toBe('no detectable difference');
    // MDE = (z.975 + z.8) · √(14/60) / √60 ≈ 17 points, as in §8.2's example.
    expect(c.mde).toBeCloseTo(2.801585 * Math.sqrt(14 / 60 / 60), 5);
    expect(c.flips.filter((f) => f.kind === 'regression').map((f) => f.caseId)).toEqual([
      'c38',
      'c39',
      'c40',
      'c41',
    ]);
    expect(c.flips.filter((f) => f.kind === 'improvement')).toHaveLength(10);
    expect(c.warnings).toEqual([]);
  });

  it('lists exact flips, regressions first and protected cases first within a kind; unmatched and one-side errors are dropped and listed', () => {
    const A = [
      rec('A', 'k1', 'pass'),
      rec('A', 'k2', 'pass'),
      rec('A', 'k3', 'fail'),
      rec('A', 'k4', 'pass'),
      rec('A', 'k5', 'pass'),
      rec('A', 'k6', 'error'),
      rec('A', 'k7', 'pass'),
      rec('A', 'only-a', 'pass'),
      rec('A', 'k8', 'error'),
      rec('A', 'k9', 'fail'),
    ];
    const B = [
      rec('B', 'k9', 'pass'),
      rec('B', 'k1', 'fail'),
      rec('B', 'k2', 'pass'),
      rec('B', 'k3', 'pass'),
      rec('B', 'k4', 'fail'),
      rec('B', 'k5', 'error'),
      rec('B', 'k6', 'pass'),
      rec('B', 'k7', 'pass'),
      rec('B', 'k8', 'error'),
      rec('B', 'only-b', 'fail'),
    ];
    const c = compareResults(A, B, { protectedCaseIds: new Set(['k4', 'k5', 'k9']) });
    expect(c.flips).toEqual([
      { caseId: 'k4', kind: 'regression', from: 1, to: 0, protected: true },
      { caseId: 'k1', kind: 'regression', from: 1, to: 0, protected: false },
      { caseId: 'k9', kind: 'improvement', from: 0, to: 1, protected: true },
      { caseId: 'k3', kind: 'improvement', from: 0, to: 1, protected: false },
    ]);
    expect(c.pairing).toEqual({
      paired: 6,
      onlyInBaseline: ['only-a'],
      onlyInCandidate: ['only-b'],
      errored: [
        { caseId: 'k5', side: 'candidate', protected: true },
        { caseId: 'k6', side: 'baseline', protected: false },
        { caseId: 'k8', side: 'both', protected: false },
      ],
      partiallyErrored: 0,
    });
    expect(c.table).toEqual({ bothPass: 2, baselineOnly: 2, candidateOnly: 2, bothFail: 0 });
    expect(c.warnings.join('\n')).toMatch(/only 6 paired cases \(n < 30\)/);
    expect(c.warnings.join('\n')).toMatch(/not paired: 1 case only in the baseline, 1 only in the candidate/);
    expect(c.warnings.join('\n')).toMatch(
      /3 cases dropped because every result errored \(2 on one side only\)/,
    );
  });

  it('verdict better / worse when the interval excludes 0 and p < α', () => {
    const up = fromTable(20, 0, 10, 10);
    const better = compareResults(up.A, up.B);
    expect(better.p).toBeCloseTo(2 / 1024, 12);
    expect(better.difference.lower).toBeGreaterThan(0);
    expect(better.verdict).toBe('better');
    const down = fromTable(20, 10, 0, 10);
    const worse = compareResults(down.A, down.B);
    expect(worse.difference.upper).toBeLessThan(0);
    expect(worse.verdict).toBe('worse');
    expect(worse.flips.every((f) => f.kind === 'regression')).toBe(true);
  });

  it('6–0 discordant pairs is significant, 5–0 is not (exact McNemar)', () => {
    const six = fromTable(30, 0, 6, 0);
    expect(compareResults(six.A, six.B).p).toBeCloseTo(0.03125, 12);
    expect(compareResults(six.A, six.B).verdict).toBe('better');
    const five = fromTable(30, 0, 5, 0);
    expect(compareResults(five.A, five.B).p).toBeCloseTo(0.0625, 12);
    expect(compareResults(five.A, five.B).verdict).toBe('no detectable difference');
  });

  it('equivalent within ±m when the whole interval lies inside the margin; not when it reaches past it', () => {
    const { A, B } = fromTable(180, 1, 1, 18);
    const eq = compareResults(A, B, { margin: 0.05 });
    expect(eq.difference.lower).toBeGreaterThan(-0.05);
    expect(eq.difference.upper).toBeLessThan(0.05);
    expect(eq.verdict).toBe('equivalent');
    expect(eq.margin).toBe(0.05);
    expect(compareResults(A, B, { margin: 0.01 }).verdict).toBe('no detectable difference');
    expect(compareResults(A, B).verdict).toBe('no detectable difference');
  });

  it('no case changed: p = 1, no MDE, and a warning saying so', () => {
    const { A, B } = fromTable(30, 0, 0, 5);
    const c = compareResults(A, B);
    expect(c.p).toBe(1);
    expect(c.flips).toEqual([]);
    expect(c.mde).toBeNull();
    expect(c.verdict).toBe('no detectable difference');
    expect(c.warnings.join('\n')).toMatch(/no case changed/);
  });

  it('warns about different models, different suite contents, and a re-run of the same version', () => {
    const { A, B } = fromTable(30, 1, 1, 0);
    const other = B.map((r) => ({ ...r, modelId: 'fake:other' }));
    const c = compareResults(A, other, {
      suiteHash: { baseline: 'aaaaaaaaaaaaaaaa', candidate: 'bbbbbbbbbbbbbbbb' },
    });
    expect(c.warnings.join('\n')).toMatch(/different models \(fake:bot vs fake:other\)/);
    expect(c.warnings.join('\n')).toMatch(/different suite contents \(hash aaaaaaaaaaaa vs bbbbbbbbbbbb\)/);
    const same = B.map((r) => ({ ...r, promptVersion: 'v-A' }));
    expect(compareResults(A, same).warnings.join('\n')).toMatch(
      /same prompt version and model on both sides/,
    );
  });

  it('averages repeats per case: unanimous repeats keep the exact 2×2 analysis', () => {
    const A = ['x', 'y'].flatMap((id) => [0, 1, 2].map((k) => rec('A', id, 'pass', { repeat: k })));
    const B = [
      ...[0, 1, 2].map((k) => rec('B', 'x', 'fail', { repeat: k })),
      ...[0, 1, 2].map((k) => rec('B', 'y', 'pass', { repeat: k })),
    ];
    const c = compareResults(A, B);
    expect(c.pairing.paired).toBe(2);
    expect(c.table).toEqual({ bothPass: 1, baselineOnly: 1, candidateOnly: 0, bothFail: 0 });
    expect(c.flips).toEqual([{ caseId: 'x', kind: 'regression', from: 1, to: 0, protected: false }]);
  });

  it('repeats that disagree: per-case pass rates, paired bootstrap + sign-flip, no 2×2 table; partly errored cases use their scored repeats', () => {
    const statuses: ResultStatus[][] = [
      ['pass', 'pass', 'fail'],
      ['pass', 'pass', 'pass'],
      ['fail', 'fail', 'pass'],
    ];
    const A = statuses.flatMap((s, i) => s.map((st, k) => rec('A', `r${i}`, st, { repeat: k })));
    const B = [
      rec('B', 'r0', 'fail', { repeat: 0 }),
      rec('B', 'r0', 'fail', { repeat: 1 }),
      rec('B', 'r0', 'pass', { repeat: 2 }),
      rec('B', 'r1', 'pass', { repeat: 0 }),
      rec('B', 'r1', 'pass', { repeat: 1 }),
      rec('B', 'r1', 'error', { repeat: 2 }),
      rec('B', 'r2', 'pass', { repeat: 0 }),
      rec('B', 'r2', 'pass', { repeat: 1 }),
      rec('B', 'r2', 'pass', { repeat: 2 }),
    ];
    const c = compareResults(A, B, { seed: 7, resamples: 2000 });
    expect(c.table).toBeNull();
    expect(c.baseline.passRate).toMatchObject({ method: 'bootstrap over cases', n: 3 });
    expect(c.pairing.partiallyErrored).toBe(1);
    expect(c.difference.estimate).toBeCloseTo((-1 / 3 + 0 + 2 / 3) / 3, 12);
    expect(c.difference.method).toBe('paired bootstrap percentile (2000 resamples, seed 7)');
    expect(c.test).toBe('sign-flip permutation (exact)');
    expect(c.flips.map((f) => [f.caseId, f.kind])).toEqual([
      ['r0', 'regression'],
      ['r2', 'improvement'],
    ]);
    expect(c.flips[0]?.from).toBeCloseTo(2 / 3, 12);
    expect(c.seed).toBe(7);
    expect(c.warnings.join('\n')).toMatch(/repeats disagree/);
    expect(c.warnings.join('\n')).toMatch(/1 paired case had some repeats errored/);
  });

  it('cases sharing a cluster: the cluster-robust interval is reported and the verdict needs it too', () => {
    const { A, B } = fromTable(30, 10, 0, 0);
    // c30…c39 (the 10 regressions) form one cluster; the other 30 cases form three clusters of 10.
    const cluster = (r: ResultRecord) => ({
      ...r,
      cluster: `k${Math.floor(Number(r.caseId.slice(1)) / 10)}`,
    });
    const plain = compareResults(A, B);
    expect(plain.verdict).toBe('worse');
    const c = compareResults(A.map(cluster), B.map(cluster));
    expect(c.clustered?.clusters).toBe(4);
    expect(c.clustered?.estimate).toBeCloseTo(-0.25, 12);
    expect(c.clustered?.upper).toBeGreaterThan(0); // one cluster carries every change: no evidence with C = 4
    expect(c.difference).toEqual(plain.difference);
    expect(c.verdict).toBe('no detectable difference');
    expect(c.warnings.join('\n')).toMatch(/40 paired cases share 4 clusters .* fewer than 30 clusters/);
    // Singleton clusters change nothing.
    const single = compareResults(
      A.map((r) => ({ ...r, cluster: r.caseId })),
      B.map((r) => ({ ...r, cluster: r.caseId })),
    );
    expect(single.clustered).toBeUndefined();
    expect(single.verdict).toBe('worse');
  });

  it('refuses a side that mixes prompt versions or models', () => {
    const { A, B } = fromTable(3, 0, 0, 0);
    const mixed = [...B, rec('B', 'c9', 'pass', { modelId: 'fake:other' })];
    expect(() => compareResults(A, mixed)).toThrow(/candidate holds several prompt versions or models/);
  });
});

describe('compareResults, score metric', () => {
  const scoresA = [0.2, 0.5, 0.9, 0.4, 0.7, 0.6, 0.3, 0.8];
  const scoresB = [0.4, 0.5, 1.0, 0.6, 0.9, 0.5, 0.6, 0.9];
  const A = scoresA.map((s, i) => rec('A', `s${i}`, s >= 0.5 ? 'pass' : 'fail', { score: s }));
  const B = scoresB.map((s, i) => rec('B', `s${i}`, s >= 0.5 ? 'pass' : 'fail', { score: s }));

  it('mean difference with a seeded paired bootstrap, exact sign-flip p, W/T/L with the sign test', () => {
    const c = compareResults(A, B, { metric: 'score', seed: 3, resamples: 4000 });
    const diffs = scoresB.map((b, i) => b - (scoresA[i] as number));
    const mean = diffs.reduce((s, x) => s + x, 0) / diffs.length;
    expect(c.metric).toBe('score');
    expect(c.table).toBeNull();
    expect(c.difference.estimate).toBeCloseTo(mean, 12);
    expect(c.score).toMatchObject({ wins: 6, ties: 1, losses: 1 });
    expect(c.score?.signTestP).toBeCloseTo(0.125, 12); // 2 · P(X ≤ 1), X ~ Bin(7, ½) = 16/128
    expect(c.score?.permutation.exact).toBe(true);
    expect(c.score?.bootstrap.seed).toBe(3);
    expect(c.difference.lower).toBeLessThan(mean);
    expect(c.difference.upper).toBeGreaterThan(mean);
    expect(c.baseline.meanScore?.estimate).toBeCloseTo(0.55, 12);
    expect(c.candidate.meanScore?.method).toBe('t');
    expect(c.mde).toBeGreaterThan(0);
    // Flips are on pass status even for the score metric: s3 and s6 cross 0.5 upward; s5 loses score
    // (0.6 → 0.5) but still passes, so it is not a flip.
    expect(c.flips.map((f) => `${f.kind}:${f.caseId}`)).toEqual(['improvement:s3', 'improvement:s6']);
    // Same seed, same answer.
    expect(compareResults(A, B, { metric: 'score', seed: 3, resamples: 4000 }).difference).toEqual(
      c.difference,
    );
  });

  it('a result without a score counts pass → 1, fail → 0', () => {
    const a = [rec('A', 'q', 'pass'), rec('A', 'r', 'fail')];
    const b = [rec('B', 'q', 'fail'), rec('B', 'r', 'fail')];
    const c = compareResults(a, b, { metric: 'score', resamples: 200 });
    expect(c.difference.estimate).toBeCloseTo(-0.5, 12);
  });
});

describe('compareFamily (several candidates against one baseline)', () => {
  it('Holm-adjusts the p-values, decides on the adjusted p, and sorts by effect', () => {
    const base = fromTable(20, 0, 0, 20).A; // 20 pass, 20 fail
    const make = (runId: string, up: number, down: number) =>
      base.map((r, i) => {
        const flipUp = i >= 20 && i < 20 + up;
        const flipDown = i < down;
        const status: ResultStatus = flipUp ? 'pass' : flipDown ? 'fail' : r.status;
        return { ...r, runId, promptVersion: `v-${runId}`, status };
      });
    const members = [make('small', 3, 0), make('big', 9, 0), make('worse', 0, 6)].map((candidate) => ({
      baseline: base,
      candidate,
    }));
    const f = compareFamily(members);
    expect(f.family).toBe(3);
    expect(f.comparisons.map((c) => c.candidate.runId)).toEqual(['big', 'small', 'worse']);
    const raw = f.comparisons.map((c) => c.p);
    expect(f.comparisons.map((c) => c.pAdjusted)).toEqual(holm(raw));
    expect(f.comparisons.every((c) => c.family === 3)).toBe(true);
    // 6–0 alone is significant (p = 0.031) but not after adjustment over three (0.0625).
    const worse = f.comparisons[2];
    expect(worse?.p).toBeCloseTo(0.03125, 12);
    expect(worse?.pAdjusted).toBeCloseTo(0.0625, 12);
    expect(worse?.verdict).toBe('no detectable difference');
    expect(f.comparisons[0]?.verdict).toBe('better');
    expect(f.warnings.join('\n')).toMatch(
      /3 candidates compared against one baseline: verdicts use Holm-adjusted/,
    );
  });

  it('with one candidate it is the plain comparison', () => {
    const { A, B } = fromTable(10, 2, 3, 5);
    const f = compareFamily([{ baseline: A, candidate: B }]);
    expect(f.family).toBe(1);
    expect(f.warnings).toEqual([]);
    expect(f.comparisons[0]?.pAdjusted).toBe(f.comparisons[0]?.p);
  });
});

describe('decideVerdict', () => {
  it('equivalence is checked first; better/worse need both the interval and p', () => {
    expect(decideVerdict({ lower: 0.01, upper: 0.03, p: 0.01, alpha: 0.05, margin: 0.05 })).toBe(
      'equivalent',
    );
    expect(decideVerdict({ lower: 0.01, upper: 0.03, p: 0.01, alpha: 0.05 })).toBe('better');
    expect(decideVerdict({ lower: 0.01, upper: 0.03, p: 0.06, alpha: 0.05 })).toBe(
      'no detectable difference',
    );
    expect(decideVerdict({ lower: -0.3, upper: -0.1, p: 0.001, alpha: 0.05 })).toBe('worse');
    expect(decideVerdict({ lower: -0.1, upper: 0.1, p: 0.9, alpha: 0.05, margin: 0.05 })).toBe(
      'no detectable difference',
    );
  });
});

describe('compareResults with repeats: each side shows the interval `assay eval` shows', () => {
  it('uses passAt1Interval over cases with the run seed (bootstrap under 30 cases, Student-t at 30+)', () => {
    for (const cases of [12, 40]) {
      const make = (run: string, shift: number) =>
        Array.from({ length: cases }, (_, i) =>
          [0, 1, 2].map((k) =>
            rec(run, `c${i}`, (i + k + shift) % 3 === 0 || i % 5 === 0 ? 'pass' : 'fail', { repeat: k }),
          ),
        ).flat();
      const A = make('A', 0);
      const B = make('B', 1);
      const c = compareResults(A, B, { seed: 0, sideSeeds: { baseline: 11, candidate: 12 } });
      const evalA = summarizeResults(A, { seed: 11 }).groups[0]?.passRate;
      const evalB = summarizeResults(B, { seed: 12 }).groups[0]?.passRate;
      for (const [side, ev] of [
        [c.baseline.passRate, evalA],
        [c.candidate.passRate, evalB],
      ] as const) {
        expect(side?.method).toBe(cases < 30 ? 'bootstrap over cases' : 'student-t over cases');
        expect(side?.method).toBe(ev?.method);
        expect(side?.estimate).toBeCloseTo(ev?.estimate ?? Number.NaN, 12);
        expect(side?.lower).toBeCloseTo(ev?.lower ?? Number.NaN, 12);
        expect(side?.upper).toBeCloseTo(ev?.upper ?? Number.NaN, 12);
      }
    }
  });

  it('repeats that always agree are still pass@1 over cases, as in eval (not Wilson over n results)', () => {
    const A = ['a', 'b', 'c', 'd'].flatMap((id, i) =>
      [0, 1].map((k) => rec('A', id, i < 2 ? 'pass' : 'fail', { repeat: k })),
    );
    const c = compareResults(
      A,
      A.map((r) => ({ ...r, runId: 'B' })),
    );
    const ev = summarizeResults(A).groups[0]?.passRate;
    expect(c.baseline.passRate?.method).toBe(ev?.method);
    expect(c.baseline.passRate?.lower).toBeCloseTo(ev?.lower ?? Number.NaN, 12);
  });
});
