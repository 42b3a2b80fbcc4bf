import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/agreement.json' with { type: 'json' };
import { averageRanks, kendallTauB, spearmanRho } from './rank-correlation.ts';

const close = (actual: number, expected: number | null, tol = 1e-9): void => {
  if (expected === null) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
};

// Golden values from scipy spearmanr / kendalltau (τ-b) via test/golden/make-agreement-golden.py.
describe('spearmanRho and kendallTauB (golden values from scipy)', () => {
  it('has enough golden cases', () => expect(golden.rankCorrelation.length).toBeGreaterThanOrEqual(5));
  for (const g of golden.rankCorrelation) {
    it(`${JSON.stringify(g.x)} vs ${JSON.stringify(g.y)}`, () => {
      close(spearmanRho(g.x, g.y), g.spearman);
      close(kendallTauB(g.x, g.y), g.kendall);
    });
  }
});

describe('rank correlation', () => {
  it('gives tied values the mean of their ranks', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it('is NaN for fewer than two items', () => {
    expect(spearmanRho([1], [2])).toBeNaN();
    expect(kendallTauB([1], [2])).toBeNaN();
    expect(spearmanRho([], [])).toBeNaN();
  });

  it('rejects unequal lengths and non-finite values', () => {
    expect(() => spearmanRho([1, 2], [1])).toThrow(RangeError);
    expect(() => kendallTauB([1, Number.NaN], [1, 2])).toThrow(RangeError);
  });
});
