import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import { signTest } from './sign-test.ts';

// Golden values from scipy binomtest(min, wins + losses, 0.5) via test/golden/make-stats-golden.py.
describe('signTest (golden values from scipy binomtest)', () => {
  for (const g of golden.signTest) {
    it(`${g.wins} wins, ${g.losses} losses`, () => {
      expect(Math.abs(signTest(g.wins, g.losses) - g.p)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('is 1 when all pairs tie (nothing left after dropping ties) and rejects non-counts', () => {
    expect(signTest(0, 0)).toBe(1);
    expect(signTest(5, 5)).toBe(1);
    expect(() => signTest(-1, 0)).toThrow(RangeError);
    expect(() => signTest(0, 0.5)).toThrow(RangeError);
  });
});
