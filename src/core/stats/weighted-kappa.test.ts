import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/agreement.json' with { type: 'json' };
import { cohenKappa } from './cohen-kappa.ts';
import { weightedKappa } from './weighted-kappa.ts';

const close = (actual: number, expected: number | null, tol = 1e-9): void => {
  if (expected === null) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
};

// Golden values from statsmodels cohens_kappa(wt=…) via test/golden/make-agreement-golden.py.
describe('weightedKappa (golden values from statsmodels)', () => {
  it('has enough golden cases', () => expect(golden.weightedKappa.length).toBeGreaterThanOrEqual(10));
  for (const g of golden.weightedKappa) {
    it(`${g.weighting} ${JSON.stringify(g.table)}${g.values ? ` values ${g.values}` : ''}`, () => {
      const r = weightedKappa(g.table, g.weighting as 'linear' | 'quadratic', g.values ?? undefined);
      close(r.kappa, g.kappa);
      const seTol = g.se !== null && g.se < 1e-7 ? 1e-7 : 1e-9;
      close(r.se, g.se, seTol);
      close(r.lower, g.lower, 2 * seTol);
      close(r.upper, g.upper, 2 * seTol);
    });
  }
});

describe('weightedKappa', () => {
  it('equals Cohen’s κ for two categories', () => {
    const table = [
      [45, 5],
      [10, 40],
    ];
    expect(weightedKappa(table, 'quadratic').kappa).toBeCloseTo(cohenKappa(table).kappa, 12);
    expect(weightedKappa(table, 'linear').kappa).toBeCloseTo(cohenKappa(table).kappa, 12);
  });

  it('penalises far disagreements more than near ones', () => {
    const near = weightedKappa(
      [
        [5, 1, 0],
        [0, 5, 1],
        [0, 0, 5],
      ],
      'quadratic',
    ).kappa;
    const far = weightedKappa(
      [
        [5, 0, 1],
        [0, 5, 0],
        [1, 0, 5],
      ],
      'quadratic',
    ).kappa;
    expect(near).toBeGreaterThan(far);
  });

  it('rejects values that do not match the categories', () => {
    expect(() =>
      weightedKappa(
        [
          [1, 0],
          [0, 1],
        ],
        'linear',
        [1, 2, 3],
      ),
    ).toThrow(RangeError);
  });
});
