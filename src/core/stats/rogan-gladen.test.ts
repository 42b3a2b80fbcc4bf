import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/agreement.json' with { type: 'json' };
import { roganGladen } from './rogan-gladen.ts';

// Reference values from the hand-written delta-method reference in test/golden/make-agreement-golden.py.
describe('roganGladen (golden values)', () => {
  it('has enough golden cases', () => expect(golden.roganGladen.length).toBeGreaterThanOrEqual(5));
  for (const g of golden.roganGladen) {
    it(`${g.judgePasses}/${g.n} with TPR ${g.truePositives}/${g.humanPositives}, TNR ${g.trueNegatives}/${g.humanNegatives}`, () => {
      const r = roganGladen(g);
      expect(r.corrected).toBe(g.corrected);
      expect(Math.abs(r.youden - g.youden)).toBeLessThanOrEqual(1e-12);
      if (r.corrected && g.corrected) {
        for (const key of ['estimate', 'unclipped', 'se', 'lower', 'upper'] as const) {
          expect(Math.abs(r[key] - (g[key] as number))).toBeLessThanOrEqual(1e-9);
        }
      }
    });
  }
});

describe('roganGladen', () => {
  it('corrects 60% with TPR 0.818 and TNR 0.889 to 69.1% (stats-judges.md §5.8)', () => {
    const r = roganGladen({
      judgePasses: 60,
      n: 100,
      truePositives: 45,
      humanPositives: 55,
      trueNegatives: 40,
      humanNegatives: 45,
    });
    if (!r.corrected) throw new Error('expected a correction');
    expect(r.estimate).toBeCloseTo(0.6914, 4);
    expect(r.lower).toBeLessThan(r.estimate);
    expect(r.upper).toBeGreaterThan(r.estimate);
  });

  it('widens the interval when the judge’s TPR/TNR come from fewer labels', () => {
    const many = roganGladen({
      judgePasses: 60,
      n: 100,
      truePositives: 450,
      humanPositives: 550,
      trueNegatives: 400,
      humanNegatives: 450,
    });
    const few = roganGladen({
      judgePasses: 60,
      n: 100,
      truePositives: 45,
      humanPositives: 55,
      trueNegatives: 40,
      humanNegatives: 45,
    });
    if (!many.corrected || !few.corrected) throw new Error('expected corrections');
    expect(few.upper - few.lower).toBeGreaterThan(many.upper - many.lower);
  });

  it('refuses a weak judge and inputs without both classes', () => {
    expect(
      roganGladen({
        judgePasses: 5,
        n: 10,
        truePositives: 7,
        humanPositives: 10,
        trueNegatives: 6,
        humanNegatives: 10,
      }).corrected,
    ).toBe(false);
    expect(
      roganGladen({
        judgePasses: 5,
        n: 10,
        truePositives: 7,
        humanPositives: 10,
        trueNegatives: 0,
        humanNegatives: 0,
      }).corrected,
    ).toBe(false);
  });

  it('rejects counts out of range', () => {
    expect(() =>
      roganGladen({
        judgePasses: 11,
        n: 10,
        truePositives: 1,
        humanPositives: 1,
        trueNegatives: 1,
        humanNegatives: 1,
      }),
    ).toThrow(RangeError);
  });
});
