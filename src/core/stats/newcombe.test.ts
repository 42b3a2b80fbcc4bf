import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { newcombePairedDifference } from './newcombe.ts';

// Golden values from the hand-written reference in test/golden/make-stats-golden.py (Wilson limits from
// statsmodels), which also asserts the published value below.
describe('newcombePairedDifference (golden values from the reference implementation)', () => {
  for (const g of golden.newcombe) {
    it(`(${g.a}, ${g.b}, ${g.c}, ${g.d}) at ${g.confidence}`, () => {
      const r = newcombePairedDifference(g.a, g.b, g.c, g.d, g.confidence);
      expect(Math.abs(r.estimate - g.estimate)).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(r.lower - g.lower)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(r.upper - g.upper)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('matches the published value of the research notes (§8.7)', () => {
    const r = newcombePairedDifference(38, 4, 10, 8);
    expect(r.estimate).toBeCloseTo(0.1, 12);
    expect(r.lower).toBeCloseTo(-0.0251, 4);
    expect(r.upper).toBeCloseTo(0.2228, 4);
  });

  it('contains 0 with no discordant pairs, is antisymmetric in b and c, and handles n = 0', () => {
    const none = newcombePairedDifference(10, 0, 0, 5);
    expect(none.estimate).toBe(0);
    expect(none.lower).toBeLessThan(0);
    expect(none.upper).toBeGreaterThan(0);
    const ab = newcombePairedDifference(12, 3, 7, 8);
    const ba = newcombePairedDifference(12, 7, 3, 8);
    expect(ab.lower).toBeCloseTo(-ba.upper, 12);
    expect(newcombePairedDifference(0, 0, 0, 0)).toEqual({ estimate: Number.NaN, lower: -1, upper: 1 });
    expect(() => newcombePairedDifference(1, -1, 0, 0)).toThrow(RangeError);
  });
});
