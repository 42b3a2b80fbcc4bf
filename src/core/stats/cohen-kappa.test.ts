import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/agreement.json' with { type: 'json' };
import { cohenKappa, contingencyTable, kappaBootstrapInterval } from './cohen-kappa.ts';

const close = (actual: number, expected: number | null, tol = 1e-9): void => {
  if (expected === null) expect(actual).toBeNaN();
  else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
};

// Golden values from statsmodels cohens_kappa via test/golden/make-agreement-golden.py.
describe('cohenKappa (golden values from statsmodels)', () => {
  it('has enough golden cases', () => expect(golden.cohenKappa.length).toBeGreaterThanOrEqual(5));
  for (const g of golden.cohenKappa) {
    it(`${JSON.stringify(g.table)}`, () => {
      const r = cohenKappa(g.table);
      close(r.kappa, g.kappa);
      // statsmodels leaves ~1e-8 of cancellation noise where the variance is exactly 0.
      const seTol = g.se !== null && g.se < 1e-7 ? 1e-7 : 1e-9;
      close(r.se, g.se, seTol);
      close(r.lower, g.lower, 2 * seTol);
      close(r.upper, g.upper, 2 * seTol);
    });
  }
});

describe('cohenKappa', () => {
  it('gives the research notes examples: 0.70 and the prevalence paradox −0.0526', () => {
    expect(
      cohenKappa([
        [45, 5],
        [10, 40],
      ]).kappa,
    ).toBeCloseTo(0.7, 12);
    expect(
      cohenKappa([
        [90, 5],
        [5, 0],
      ]).kappa,
    ).toBeCloseTo(-1 / 19, 12);
  });

  it('reports observed and expected agreement', () => {
    const r = cohenKappa([
      [45, 5],
      [10, 40],
    ]);
    expect(r.observedAgreement).toBeCloseTo(0.85, 12);
    expect(r.expectedAgreement).toBeCloseTo(0.5, 12);
    expect(r.n).toBe(100);
  });

  it('is NaN for an empty table or when both raters use one class only', () => {
    expect(
      cohenKappa([
        [0, 0],
        [0, 0],
      ]).kappa,
    ).toBeNaN();
    expect(
      cohenKappa([
        [7, 0],
        [0, 0],
      ]).kappa,
    ).toBeNaN();
  });

  it('rejects tables that are not square or have negative counts', () => {
    expect(() => cohenKappa([[1, 2]])).toThrow(RangeError);
    expect(() =>
      cohenKappa([
        [1, -1],
        [0, 1],
      ]),
    ).toThrow(RangeError);
  });
});

describe('contingencyTable', () => {
  it('counts rater 1 by row and rater 2 by column', () => {
    expect(contingencyTable([true, true, false, false], [true, false, false, false], [true, false])).toEqual([
      [1, 1],
      [0, 2],
    ]);
  });

  it('rejects unknown labels and unequal lengths', () => {
    expect(() => contingencyTable([1, 2], [1, 3], [1, 2])).toThrow(/not a category/);
    expect(() => contingencyTable([1], [1, 2], [1, 2])).toThrow(/same items/);
  });
});

describe('kappaBootstrapInterval', () => {
  // The worked example of stats-judges.md §5.5: (45, 5, 10, 40), κ = 0.70, bootstrap CI about 0.56–0.84.
  const pairs: [number, number][] = [
    ...Array.from({ length: 45 }, (): [number, number] => [0, 0]),
    ...Array.from({ length: 5 }, (): [number, number] => [0, 1]),
    ...Array.from({ length: 10 }, (): [number, number] => [1, 0]),
    ...Array.from({ length: 40 }, (): [number, number] => [1, 1]),
  ];

  it('brackets κ like the research notes’ example and is reproducible by seed', () => {
    const a = kappaBootstrapInterval(pairs, 2, { seed: 7 });
    expect(a.estimate).toBeCloseTo(0.7, 12);
    expect(a.lower).toBeGreaterThan(0.53);
    expect(a.lower).toBeLessThan(0.59);
    expect(a.upper).toBeGreaterThan(0.81);
    expect(a.upper).toBeLessThan(0.87);
    expect(kappaBootstrapInterval(pairs, 2, { seed: 7 })).toEqual(a);
    expect(kappaBootstrapInterval(pairs, 2, { seed: 8 }).lower).not.toBe(a.lower);
  });

  it('drops resamples where κ is undefined and handles empty input', () => {
    const r = kappaBootstrapInterval(
      [
        [0, 0],
        [1, 1],
      ],
      2,
      { resamples: 200 },
    );
    expect(r.resamples).toBeLessThan(200);
    expect(r.lower).toBe(1);
    expect(kappaBootstrapInterval([], 2).estimate).toBeNaN();
  });
});
