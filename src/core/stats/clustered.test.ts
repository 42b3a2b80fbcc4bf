import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/resampling.json' with { type: 'json' };
import { clusteredMeanInterval } from './clustered.ts';
import { tInterval } from './student-t.ts';

// Golden values: statsmodels OLS(y, 1).fit(cov_type='cluster', use_t=True) with use_correction=True and
// df_correction=True — the same CR1 factor C/(C−1) and t(C−1) (test/golden/make-resampling-golden.py).
describe('clusteredMeanInterval (golden values from statsmodels, CR1 + t(C−1))', () => {
  it('has enough golden cases, edge cases included', () => {
    expect(golden.clustered.length).toBeGreaterThanOrEqual(5);
  });
  for (const g of golden.clustered) {
    it(g.name, () => {
      const r = clusteredMeanInterval(g.values, g.clusters, g.confidence);
      expect(r.clusters).toBe(g.clusterCount);
      expect(Math.abs(r.estimate - g.estimate)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.se - g.se)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.lower - g.lower)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.upper - g.upper)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.designEffect - g.designEffect)).toBeLessThanOrEqual(1e-9);
      expect(r.effectiveN).toBeCloseTo(g.values.length / g.designEffect, 9);
    });
  }
});

describe('clusteredMeanInterval', () => {
  it('reduces to the t interval with one case per cluster', () => {
    const xs = [0.2, 0.9, 0.4, 0.7, 0.5, 0.8];
    const r = clusteredMeanInterval(
      xs,
      xs.map((_, i) => `c${i}`),
    );
    const t = tInterval(xs);
    expect(r.lower).toBeCloseTo(t.lower, 12);
    expect(r.upper).toBeCloseTo(t.upper, 12);
    expect(r.designEffect).toBeCloseTo(1, 12);
    expect(r.method).toBe('cluster-robust CR1, t(C−1)');
  });

  it('widens the interval when clusters move together', () => {
    const values = [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0];
    const clusters = values.map((_, i) => `doc${i >> 2}`);
    const r = clusteredMeanInterval(values, clusters);
    const t = tInterval(values);
    expect(r.upper - r.lower).toBeGreaterThan(t.upper - t.lower);
    expect(r.designEffect).toBeGreaterThan(3);
    expect(r.effectiveN).toBeLessThan(5);
  });

  it('handles no values, one cluster and constant values', () => {
    expect(clusteredMeanInterval([], []).estimate).toBeNaN();
    const one = clusteredMeanInterval([1, 0, 1], ['a', 'a', 'a']);
    expect(one).toMatchObject({ estimate: 2 / 3, clusters: 1, lower: -Infinity, upper: Infinity });
    expect(clusteredMeanInterval([1, 1, 1, 1], ['a', 'a', 'b', 'b'])).toMatchObject({
      estimate: 1,
      lower: 1,
      upper: 1,
      se: 0,
      designEffect: 1,
    });
    expect(() => clusteredMeanInterval([1], [])).toThrow(RangeError);
  });
});
