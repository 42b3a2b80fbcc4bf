import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/wilson.json' with { type: 'json' };
import { normalQuantile } from './normal-quantile.ts';
import { wilsonFromProportion, wilsonInterval } from './wilson.ts';

// Golden values come from statsmodels/scipy via test/golden/make-wilson-golden.py.
describe('wilsonInterval (golden values from statsmodels)', () => {
  it('has enough golden cases to mean something', () => {
    expect(golden.intervals.length).toBeGreaterThanOrEqual(12);
  });

  for (const g of golden.intervals) {
    it(`${g.successes}/${g.n} at ${g.confidence}`, () => {
      const w = wilsonInterval(g.successes, g.n, g.confidence);
      expect(Math.abs(w.estimate - g.estimate)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(w.lower - g.lower)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(w.upper - g.upper)).toBeLessThanOrEqual(1e-9);
    });
  }
});

describe('wilsonInterval', () => {
  it('matches the worked examples in the research notes', () => {
    const w = wilsonInterval(17, 20);
    expect(w.lower).toBeCloseTo(0.64, 2);
    expect(w.upper).toBeCloseTo(0.948, 3);
  });

  it('pins the bound at 0/n and n/n to exactly 0 or 1', () => {
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(10, 10).upper).toBe(1);
    expect(wilsonInterval(0, 10).upper).toBeGreaterThan(0.2);
  });

  it('returns NaN estimate and [0, 1] for n = 0', () => {
    const w = wilsonInterval(0, 0);
    expect(w.estimate).toBeNaN();
    expect(w.lower).toBe(0);
    expect(w.upper).toBe(1);
  });

  it('widens with confidence', () => {
    const w90 = wilsonInterval(17, 20, 0.9);
    const w99 = wilsonInterval(17, 20, 0.99);
    expect(w99.upper - w99.lower).toBeGreaterThan(w90.upper - w90.lower);
  });

  it('rejects inputs that are not counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(RangeError);
  });
});

describe('wilsonFromProportion (golden values from statsmodels with a fractional count)', () => {
  for (const g of golden.proportions) {
    it(`p = ${g.p} over n = ${g.n} at ${g.confidence}`, () => {
      const w = wilsonFromProportion(g.p, g.n, g.confidence);
      expect(w.estimate).toBe(g.p);
      expect(Math.abs(w.lower - g.lower)).toBeLessThan(1e-9);
      expect(Math.abs(w.upper - g.upper)).toBeLessThan(1e-9);
    });
  }
});

describe('normalQuantile (golden values from scipy norm.ppf)', () => {
  for (const g of golden.quantiles) {
    it(`p = ${g.p}`, () => {
      expect(Math.abs(normalQuantile(g.p) - g.z)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('handles the edges', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(-0.1)).toBeNaN();
    expect(normalQuantile(1.1)).toBeNaN();
    expect(normalQuantile(Number.NaN)).toBeNaN();
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('is antisymmetric', () => {
    for (const p of [0.001, 0.2, 0.4, 0.49])
      expect(normalQuantile(1 - p)).toBeCloseTo(-normalQuantile(p), 12);
  });
});
