import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { studentTCdf, studentTQuantile, tInterval } from './student-t.ts';

// Golden values from scipy.stats.t via test/golden/make-stats-golden.py.
const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));

describe('studentTQuantile (golden values from scipy t.ppf)', () => {
  for (const g of golden.tQuantiles) {
    it(`p = ${g.p}, df = ${g.df}`, () => close(studentTQuantile(g.p, g.df), g.t));
  }

  it('matches the published values of the research notes (§8.7)', () => {
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.262157, 6);
    expect(studentTQuantile(0.975, 19)).toBeCloseTo(2.093024, 6);
    expect(studentTQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(1.959964, 6);
  });

  it('handles the edges', () => {
    expect(studentTQuantile(0, 3)).toBe(Number.NEGATIVE_INFINITY);
    expect(studentTQuantile(1, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(1.5, 3)).toBeNaN();
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError);
  });

  it('inverts the CDF', () => {
    for (const df of [1, 2, 3.5, 10, 250]) {
      for (const p of [0.001, 0.1, 0.45, 0.9, 0.99]) {
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p)).toBeLessThan(1e-12);
      }
    }
  });

  it('keeps relative precision in the far tails', () => {
    for (const df of [0.5, 3, 1e4]) {
      for (const p of [1e-15, 1e-5]) {
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p) / p).toBeLessThan(1e-9);
      }
    }
  });
});

describe('studentTCdf (golden values from scipy t.cdf)', () => {
  for (const g of golden.tCdf) {
    it(`t = ${g.t}, df = ${g.df}`, () => close(studentTCdf(g.t, g.df), g.p));
  }

  it('handles infinities', () => {
    expect(studentTCdf(Number.POSITIVE_INFINITY, 4)).toBe(1);
    expect(studentTCdf(Number.NEGATIVE_INFINITY, 4)).toBe(0);
    expect(studentTCdf(1e200, 4)).toBe(1);
    expect(studentTCdf(0, 4)).toBe(0.5);
  });
});

describe('tInterval (golden values: mean ± scipy t.ppf · scipy sem)', () => {
  for (const g of golden.tIntervals) {
    it(`${g.xs.length} values at ${g.confidence}`, () => {
      const r = tInterval(g.xs, g.confidence);
      expect(r.n).toBe(g.n);
      close(r.estimate, g.estimate);
      close(r.sd, g.sd);
      close(r.lower, g.lower);
      close(r.upper, g.upper);
    });
  }

  it('gives a zero-width interval for all-equal scores, (−∞, ∞) for one value, NaN for none', () => {
    expect(tInterval([2, 2, 2])).toMatchObject({ estimate: 2, lower: 2, upper: 2, sd: 0 });
    const one = tInterval([0.4]);
    expect(one.lower).toBe(Number.NEGATIVE_INFINITY);
    expect(one.upper).toBe(Number.POSITIVE_INFINITY);
    expect(one.sd).toBeNaN();
    expect(tInterval([]).estimate).toBeNaN();
  });

  it('rejects bad input', () => {
    expect(() => tInterval([1, Number.NaN])).toThrow(RangeError);
    expect(() => tInterval([1, 2], 1)).toThrow(RangeError);
  });
});
