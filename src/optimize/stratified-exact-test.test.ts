import { describe, expect, it } from 'vitest';
import { signTest } from '../core/stats/sign-test.ts';
import { stratifiedExactP } from './stratified-exact-test.ts';

const one = (before: number, after: number) => ({
  beforePasses: before,
  beforeN: 1,
  afterPasses: after,
  afterN: 1,
});

describe('stratifiedExactP', () => {
  it('is the exact one-sided sign test with one sample a side: P(X ≥ b), X ~ Bin(b + c, ½)', () => {
    // b = 5 fixed, c = 1 broken: P(X ≥ 5 | n = 6) = (6 + 1) / 64.
    const cases = [...Array(5)].map(() => one(0, 1)).concat([one(1, 0), one(1, 1), one(0, 0)]);
    expect(stratifiedExactP(cases)).toBeCloseTo(7 / 64, 12);
    // Half the two-sided sign test when b > c.
    expect(stratifiedExactP(cases)).toBeCloseTo(signTest(5, 1) / 2, 12);
    expect(stratifiedExactP([one(0, 1), one(0, 1), one(0, 1)])).toBeCloseTo(1 / 8, 12);
  });

  it('with r repeats a unanimous flip of a case has probability 1 / C(2r, r)', () => {
    const flip = { beforePasses: 0, beforeN: 2, afterPasses: 2, afterN: 2 };
    expect(stratifiedExactP([flip])).toBeCloseTo(1 / 6, 12);
    expect(stratifiedExactP([flip, flip, flip])).toBeCloseTo(1 / 216, 12);
    const flip3 = { beforePasses: 0, beforeN: 3, afterPasses: 3, afterN: 3 };
    expect(stratifiedExactP([flip3])).toBeCloseTo(1 / 20, 12);
  });

  it('hand-computed mixed case: 1 of 2 before, 2 of 2 after → P(after ≥ 2 | t = 3, N = 4) = 1/2', () => {
    // Hypergeometric: C(3,2)C(1,0)/C(4,2) = 3/6.
    expect(stratifiedExactP([{ beforePasses: 1, beforeN: 2, afterPasses: 2, afterN: 2 }])).toBeCloseTo(
      0.5,
      12,
    );
  });

  it('no informative case → 1; a worse candidate → large p', () => {
    expect(stratifiedExactP([one(1, 1), one(0, 0)])).toBe(1);
    expect(stratifiedExactP([one(1, 0), one(1, 0)])).toBe(1);
  });
});
