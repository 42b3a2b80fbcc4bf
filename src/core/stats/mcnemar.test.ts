import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { mcnemarExact, mcnemarMidP } from './mcnemar.ts';
import { signTest } from './sign-test.ts';

// Golden values from scipy binomtest (= statsmodels mcnemar(exact=True)) via test/golden/make-stats-golden.py.
describe('mcnemarExact (golden values from scipy binomtest)', () => {
  for (const g of golden.mcnemar) {
    it(`b = ${g.b}, c = ${g.c}`, () => {
      expect(Math.abs(mcnemarExact(g.b, g.c) - g.p)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(mcnemarMidP(g.b, g.c) - g.midP)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('matches the published values of the research notes (§8.7)', () => {
    expect(mcnemarExact(8, 2)).toBeCloseTo(0.1094, 4);
    expect(mcnemarExact(10, 1)).toBeCloseTo(0.0117, 4);
    expect(mcnemarExact(6, 0)).toBeCloseTo(0.03125, 10);
    expect(mcnemarExact(4, 10)).toBeCloseTo(0.1796, 4);
  });

  it('handles very many discordant pairs without overflowing the stack (b = c = 200,000)', () => {
    expect(mcnemarExact(200_000, 200_000)).toBe(1);
    expect(mcnemarMidP(200_000, 200_000)).toBeCloseTo(1, 9);
    // scipy.stats.binomtest(199000, 399000, 0.5).pvalue
    expect(Math.abs(mcnemarExact(200_000, 199_000) - 0.11375545575607288)).toBeLessThanOrEqual(1e-9);
    expect(signTest(199_000, 200_000)).toBe(mcnemarExact(200_000, 199_000));
  });

  it('is symmetric, 1 without discordant pairs, and rejects non-counts', () => {
    expect(mcnemarExact(3, 9)).toBe(mcnemarExact(9, 3));
    expect(mcnemarExact(0, 0)).toBe(1);
    expect(mcnemarMidP(4, 4)).toBeCloseTo(1, 12);
    expect(() => mcnemarExact(-1, 2)).toThrow(RangeError);
    expect(() => mcnemarExact(1.5, 2)).toThrow(RangeError);
  });
});
