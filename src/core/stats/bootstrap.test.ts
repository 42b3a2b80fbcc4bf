import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/resampling.json' with { type: 'json' };
import {
  bootstrapFromIndices,
  bootstrapInterval,
  pairedBootstrapInterval,
  quantileSorted,
} from './bootstrap.ts';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

// Golden values: test/golden/make-resampling-golden.py (numpy percentile on committed resample indices).
describe('bootstrapFromIndices (exact, on committed resample indices)', () => {
  it('has enough golden cases, edge cases included', () => {
    expect(golden.bootstrap_exact.length).toBeGreaterThanOrEqual(5);
  });
  for (const g of golden.bootstrap_exact) {
    it(g.name, () => {
      const r = bootstrapFromIndices(g.xs, g.indices, {
        statistic: g.statistic === 'median' ? median : undefined,
        confidence: g.confidence,
      });
      expect(r.resamples).toBe(g.indices.length);
      expect(Math.abs(r.estimate - g.estimate)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.lower - g.lower)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.upper - g.upper)).toBeLessThanOrEqual(1e-9);
    });
  }
  it('rejects an index outside the sample', () => {
    expect(() => bootstrapFromIndices([1, 2], [[0, 2]])).toThrow(/index 2/);
  });
});

describe('bootstrapInterval (Monte Carlo, against scipy.stats.bootstrap percentile)', () => {
  for (const g of golden.bootstrap_monte_carlo) {
    it(g.name, () => {
      const r = bootstrapInterval(g.xs, { confidence: g.confidence, resamples: g.resamples, seed: 0 });
      // 5 Monte-Carlo SDs of one scipy run (measured over 20 seeds), plus a floor for discrete data
      // where every run lands on the same atom.
      expect(Math.abs(r.lower - g.lower)).toBeLessThanOrEqual(5 * g.lowerSd + 1e-9);
      expect(Math.abs(r.upper - g.upper)).toBeLessThanOrEqual(5 * g.upperSd + 1e-9);
    });
  }
});

describe('bootstrapInterval', () => {
  const xs = [0.12, 0.95, 0.33, 0.5, 0.71, 0.08, 0.64, 0.27, 0.99, 0.45, 0.58, 0.2];

  it('is reproducible for a seed, reports it, and varies with it', () => {
    const a = bootstrapInterval(xs, { seed: 5, resamples: 2000 });
    expect(bootstrapInterval(xs, { seed: 5, resamples: 2000 })).toEqual(a);
    expect(a).toMatchObject({ seed: 5, resamples: 2000, confidence: 0.95, method: 'percentile' });
    expect(bootstrapInterval(xs, { seed: 6, resamples: 2000 }).lower).not.toBe(a.lower);
    expect(a.lower).toBeLessThan(a.estimate);
    expect(a.upper).toBeGreaterThan(a.estimate);
  });

  it('defaults to 10,000 resamples, seed 0, the mean', () => {
    const r = bootstrapInterval(xs);
    expect(r).toMatchObject({ resamples: 10_000, seed: 0 });
    expect(r.estimate).toBeCloseTo(xs.reduce((s, x) => s + x) / xs.length, 12);
  });

  it('takes any statistic, and a custom mean equals the built-in one for the same seed', () => {
    const custom = bootstrapInterval(xs, {
      statistic: (v) => v.reduce((s, x) => s + x) / v.length,
      resamples: 500,
    });
    const builtIn = bootstrapInterval(xs, { resamples: 500 });
    expect(custom.lower).toBeCloseTo(builtIn.lower, 12);
    expect(custom.upper).toBeCloseTo(builtIn.upper, 12);
    expect(bootstrapInterval(xs, { statistic: median, resamples: 500 }).estimate).toBe(median(xs));
  });

  it('handles n = 1, all-equal and empty samples', () => {
    expect(bootstrapInterval([0.4])).toMatchObject({ estimate: 0.4, lower: 0.4, upper: 0.4 });
    expect(bootstrapInterval([1, 1, 1])).toMatchObject({ estimate: 1, lower: 1, upper: 1 });
    expect(bootstrapInterval([]).estimate).toBeNaN();
    expect(() => bootstrapInterval(xs, { resamples: 0 })).toThrow(RangeError);
    expect(() => bootstrapInterval(xs, { confidence: 1 })).toThrow(RangeError);
  });

  it('paired: the worked example (b = 4, c = 10 of 60) gives about [−1.7, +21.7] points', () => {
    const diffs = [...Array(4).fill(-1), ...Array(10).fill(1), ...Array(46).fill(0)];
    const r = pairedBootstrapInterval(diffs, { seed: 1 });
    expect(r.estimate).toBeCloseTo(0.1, 12);
    expect(r.lower).toBeCloseTo(-1 / 60, 3);
    expect(r.upper).toBeCloseTo(13 / 60, 3);
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly between order statistics (type 7)', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileSorted([10, 20], 0.025)).toBeCloseTo(10.25, 12);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });
});
