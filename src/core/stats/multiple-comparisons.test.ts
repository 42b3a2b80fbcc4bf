import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { benjaminiHochberg, holm } from './multiple-comparisons.ts';

// Golden values from statsmodels multipletests via test/golden/make-stats-golden.py.
const allClose = (actual: number[], expected: number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(Math.abs(value - (expected[i] as number))).toBeLessThanOrEqual(1e-9);
  });
};

describe('holm and benjaminiHochberg (golden values from statsmodels multipletests)', () => {
  for (const g of golden.multipleComparisons) {
    it(`[${g.ps.join(', ')}]`, () => {
      allClose(holm(g.ps), g.holm);
      allClose(benjaminiHochberg(g.ps), g.bh);
    });
  }

  it('matches the published values of the research notes (§8.7)', () => {
    allClose(holm([0.01, 0.04, 0.03, 0.2]), [0.04, 0.09, 0.09, 0.2]);
    allClose(benjaminiHochberg([0.01, 0.04, 0.03, 0.2]), [0.04, 0.16 / 3, 0.16 / 3, 0.2]);
  });

  it('handles an empty family and rejects values that are not p-values', () => {
    expect(holm([])).toEqual([]);
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => holm([0.1, 1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([Number.NaN])).toThrow(RangeError);
  });
});
