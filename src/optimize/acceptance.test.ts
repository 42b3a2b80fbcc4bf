import { describe, expect, it } from 'vitest';
import { alphaForTest, judgeDev, judgeProbe } from './acceptance.ts';
import type { CaseOutcome, Outcomes } from './case-outcome.ts';

const o = (entries: [string, number, number][]): Outcomes =>
  new Map(
    entries.map(([caseId, passes, n]): [string, CaseOutcome] => [
      caseId,
      { caseId, passes, n, errors: 0, failedOutputs: [], signatures: [], reasons: [] },
    ]),
  );

describe('acceptance', () => {
  it('spends α as α / (k (k + 1)), summing to at most α', () => {
    expect(alphaForTest(0.05, 1)).toBeCloseTo(0.025, 15);
    expect(alphaForTest(0.05, 2)).toBeCloseTo(0.05 / 6, 15);
    let sum = 0;
    for (let k = 1; k <= 10_000; k++) sum += alphaForTest(0.05, k);
    expect(sum).toBeLessThan(0.05);
  });

  it('the probe refutes a hypothesis whose predicted cases stay failing', () => {
    const before = o([
      ['a', 0, 2],
      ['b', 0, 2],
    ]);
    expect(
      judgeProbe(
        before,
        o([
          ['a', 0, 2],
          ['b', 1, 2],
        ]),
        ['a', 'b'],
      ).pass,
    ).toBe(false);
    expect(
      judgeProbe(
        before,
        o([
          ['a', 2, 2],
          ['b', 0, 2],
        ]),
        ['a', 'b'],
      ),
    ).toMatchObject({ pass: true, fixed: ['a'] });
  });

  it('deterministic target: one unanimous fix and nothing worse is accepted; a protected drop is a regression', () => {
    const before = o([
      ['a', 0, 2],
      ['g', 2, 2],
      ['p', 2, 2],
    ]);
    const ok = judgeDev({
      before,
      after: o([
        ['a', 2, 2],
        ['g', 2, 2],
        ['p', 2, 2],
      ]),
      predicted: ['a'],
      protectedIds: new Set(['p']),
      alpha: 0.025,
      repeats: 2,
    });
    expect(ok).toMatchObject({ verdict: 'accepted', mode: 'deterministic', fixed: ['a'] });
    const bad = judgeDev({
      before,
      after: o([
        ['a', 2, 2],
        ['g', 2, 2],
        ['p', 1, 2],
      ]),
      predicted: ['a'],
      protectedIds: new Set(['p']),
      alpha: 0.025,
      repeats: 2,
    });
    expect(bad).toMatchObject({ verdict: 'regressed', regressions: ['p'] });
  });

  it('noisy target: the fix must clear the exact test at this test’s α', () => {
    const before = o([
      ['a', 0, 2],
      ['b', 1, 2],
      ['c', 0, 2],
    ]);
    const after = o([
      ['a', 2, 2],
      ['b', 1, 2],
      ['c', 1, 2],
    ]);
    const d = judgeDev({
      before,
      after,
      predicted: ['a'],
      protectedIds: new Set(),
      alpha: 0.025,
      repeats: 2,
    });
    expect(d.mode).toBe('noisy');
    expect(d.verdict).toBe('insignificant');
    // Hypergeometric per case: a, b ~ Hyp(N 4, t 2, 2) → 1/6, 4/6, 1/6; c ~ Hyp(4, 1, 2) → 1/2, 1/2.
    // Observed S = 2 + 1 + 1 = 4 of at most 5: P(5) = 1/72, P(4) = (1 + 4 + 4)/72 → p = 10/72.
    expect(d.p).toBeCloseTo(10 / 72, 12);
  });
});
