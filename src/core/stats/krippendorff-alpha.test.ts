import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/agreement.json' with { type: 'json' };
import { type AlphaLevel, krippendorffAlpha } from './krippendorff-alpha.ts';

const LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];

// Golden values from an independent pairwise reference in test/golden/make-agreement-golden.py.
describe('krippendorffAlpha (golden values)', () => {
  it('has enough golden cases', () => expect(golden.krippendorffAlpha.length).toBeGreaterThanOrEqual(5));
  for (const g of golden.krippendorffAlpha) {
    for (const level of LEVELS) {
      it(`${g.name} · ${level}`, () => {
        const expected = g[level];
        const actual = krippendorffAlpha(g.units, level).alpha;
        if (expected === null) expect(actual).toBeNaN();
        else expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9);
      });
    }
  }
});

describe('krippendorffAlpha', () => {
  it('reproduces Krippendorff’s published example (stats-judges.md §8.7)', () => {
    const units = golden.krippendorffAlpha[0]?.units ?? [];
    expect(krippendorffAlpha(units, 'nominal').alpha).toBeCloseTo(0.743, 3);
    expect(krippendorffAlpha(units, 'ordinal').alpha).toBeCloseTo(0.815, 3);
    expect(krippendorffAlpha(units, 'interval').alpha).toBeCloseTo(0.849, 3);
    expect(krippendorffAlpha(units, 'ratio').alpha).toBeCloseTo(0.797, 3);
    const r = krippendorffAlpha(units, 'nominal');
    expect(r.units).toBe(11);
    expect(r.pairable).toBe(40);
  });

  it('ignores units with fewer than two ratings and is NaN without pairable data', () => {
    expect(krippendorffAlpha([[1], [2, null]]).alpha).toBeNaN();
    expect(krippendorffAlpha([]).alpha).toBeNaN();
  });

  it('rejects negative ratio data', () => {
    expect(() => krippendorffAlpha([[-1, 2]], 'ratio')).toThrow(RangeError);
  });
});
