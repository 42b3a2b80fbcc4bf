import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { clopperPearson } from './clopper-pearson.ts';

// Golden values from scipy beta.ppf/isf (= statsmodels method='beta') via test/golden/make-stats-golden.py.
describe('clopperPearson (golden values from scipy/statsmodels)', () => {
  it('has enough golden cases to mean something', () => {
    expect(golden.clopperPearson.length).toBeGreaterThanOrEqual(12);
  });

  for (const g of golden.clopperPearson) {
    it(`${g.successes}/${g.n} at ${g.confidence}`, () => {
      const r = clopperPearson(g.successes, g.n, g.confidence);
      expect(Math.abs(r.estimate - g.estimate)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.lower - g.lower)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.upper - g.upper)).toBeLessThanOrEqual(1e-9);
    });
  }
});

describe('clopperPearson', () => {
  it('matches the published values of the research notes (§8.7)', () => {
    const r = clopperPearson(17, 20);
    expect(r.lower).toBeCloseTo(0.6211, 4);
    expect(r.upper).toBeCloseTo(0.9679, 4);
    // One-sided 95 % upper bound for 0 failures in 30 = the two-sided 90 % upper bound = 1 − 0.05^{1/30}.
    expect(clopperPearson(0, 30, 0.9).upper).toBeCloseTo(0.095, 4);
    expect(Math.abs(clopperPearson(0, 30, 0.9).upper - (1 - 0.05 ** (1 / 30)))).toBeLessThan(1e-12);
  });

  it('pins 0/n and n/n and handles n = 0', () => {
    expect(clopperPearson(0, 10).lower).toBe(0);
    expect(clopperPearson(10, 10).upper).toBe(1);
    expect(clopperPearson(0, 0)).toEqual({ estimate: Number.NaN, lower: 0, upper: 1 });
  });

  it('is wider than Wilson-style intervals would suggest: contains the Wilson interval at 17/20', () => {
    const r = clopperPearson(17, 20);
    expect(r.lower).toBeLessThan(0.6396);
    expect(r.upper).toBeGreaterThan(0.9476);
  });

  it('rejects inputs that are not counts', () => {
    expect(() => clopperPearson(3, 2)).toThrow(RangeError);
    expect(() => clopperPearson(1.5, 2)).toThrow(RangeError);
    expect(() => clopperPearson(1, 2, 0)).toThrow(RangeError);
  });
});
