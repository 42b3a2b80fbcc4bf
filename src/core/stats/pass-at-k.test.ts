import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { passAtK, passHatK } from './pass-at-k.ts';

// Golden values from exact rational arithmetic (Python fractions + math.comb) in
// test/golden/make-stats-golden.py.
describe('passAtK and passHatK (golden values from the exact reference)', () => {
  for (const g of golden.passAtK) {
    it(`n = ${g.n}, c = ${g.c}, k = ${g.k}`, () => {
      expect(Math.abs(passAtK(g.n, g.c, g.k) - g.passAtK)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(passHatK(g.n, g.c, g.k) - g.passHatK)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('matches the published values of the research notes (§8.7)', () => {
    expect(passAtK(10, 7, 2)).toBeCloseTo(0.9333, 4);
    expect(passHatK(10, 7, 2)).toBeCloseTo(0.4667, 4);
    expect(passAtK(10, 7, 4)).toBe(1);
    expect(passHatK(10, 7, 4)).toBeCloseTo(0.1667, 4);
    expect(passHatK(10, 7, 8)).toBe(0);
  });

  it('reduces to c/n at k = 1 and rejects k outside [1, n]', () => {
    expect(passAtK(9, 4, 1)).toBeCloseTo(4 / 9, 15);
    expect(passHatK(9, 4, 1)).toBeCloseTo(4 / 9, 15);
    expect(() => passAtK(5, 2, 6)).toThrow(RangeError);
    expect(() => passHatK(5, 2, 0)).toThrow(RangeError);
    expect(() => passAtK(5, 6, 1)).toThrow(RangeError);
  });
});
