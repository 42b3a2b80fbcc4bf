import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/resampling.json' with { type: 'json' };
import { signFlipTest } from './permutation.ts';

// Golden values: scipy.stats.permutation_test(permutation_type='samples', n_resamples=inf), which
// enumerates the same 2^m sign patterns (test/golden/make-resampling-golden.py).
describe('signFlipTest (exact, against scipy.stats.permutation_test)', () => {
  it('has enough golden cases, edge cases included', () => {
    expect(golden.sign_flip.length).toBeGreaterThanOrEqual(5);
  });
  for (const g of golden.sign_flip) {
    it(g.name, () => {
      const r = signFlipTest(g.diffs);
      expect(r.exact).toBe(true);
      expect(Math.abs(r.p - g.p)).toBeLessThanOrEqual(1e-9);
    });
  }
});

describe('signFlipTest', () => {
  it('on 0/1 differences equals the exact McNemar p (b = 4, c = 10 → 0.1796)', () => {
    const r = signFlipTest([...Array(4).fill(-1), ...Array(10).fill(1), ...Array(46).fill(0)]);
    expect(r).toMatchObject({ exact: true, nonZero: 14, draws: 2 ** 14 });
    expect(r.p).toBeCloseTo(0.1796, 4);
  });

  it('is symmetric in the sign of the differences', () => {
    const d = [0.3, -0.1, 0.25, 0.4, -0.05, 0.2, 0.1];
    expect(signFlipTest(d).p).toBe(signFlipTest(d.map((x) => -x)).p);
  });

  it('returns p = 1 with no non-zero differences', () => {
    expect(signFlipTest([])).toMatchObject({ p: 1, nonZero: 0 });
    expect(signFlipTest([0, 0, 0])).toMatchObject({ p: 1, nonZero: 0 });
  });

  it('above exactUpTo draws seeded random sign vectors, close to the exact p', () => {
    const d = [...Array(4).fill(-1), ...Array(10).fill(1)];
    const mc = signFlipTest(d, { exactUpTo: 10, seed: 3, draws: 20_000 });
    expect(mc).toMatchObject({ exact: false, draws: 20_000, seed: 3 });
    // Monte-Carlo SE of p ≈ sqrt(0.18·0.82/20000) ≈ 0.0027
    expect(Math.abs(mc.p - 0.1795654296875)).toBeLessThan(4 * 0.0027);
    expect(signFlipTest(d, { exactUpTo: 10, seed: 3, draws: 20_000 })).toEqual(mc);
  });

  it('never gives p = 0 by Monte Carlo', () => {
    const r = signFlipTest(Array(40).fill(1), { draws: 1000 });
    expect(r.p).toBe(1 / 1001);
  });

  it('enumerates 2^20 patterns quickly', () => {
    const d = Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (0.1 + ((i * 7919) % 13) / 10));
    const t = performance.now();
    const r = signFlipTest(d);
    expect(r.draws).toBe(2 ** 20);
    expect(performance.now() - t).toBeLessThan(500);
  });

  it('rejects non-finite differences and bad options', () => {
    expect(() => signFlipTest([1, Number.NaN])).toThrow(RangeError);
    expect(() => signFlipTest([1], { draws: 0 })).toThrow(RangeError);
    expect(() => signFlipTest([1], { exactUpTo: 40 })).toThrow(RangeError);
  });
});
