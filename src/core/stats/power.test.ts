import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/stats.json' with { type: 'json' };
import {
  designEffect,
  mdeMean,
  mdeProportion,
  sampleSizeMean,
  sampleSizeProportion,
  varianceWithRepeats,
} from './power.ts';

// Golden values from the closed-form reference (scipy norm.ppf) in test/golden/make-stats-golden.py.
const close = (actual: number, expected: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9);

describe('mdeProportion / sampleSizeProportion (golden values from the reference)', () => {
  for (const g of golden.mdeProportion) {
    it(`MDE n = ${g.n}, p = ${g.baseline}, paired ${JSON.stringify(g.paired)}, DE ${g.designEffect}`, () => {
      const { mde, paired, ...opts } = g;
      close(mdeProportion({ ...opts, paired: paired ?? undefined }), mde);
    });
  }
  for (const g of golden.sampleSizeProportion) {
    it(`n for δ = ${g.delta}, p = ${g.baseline}, paired ${JSON.stringify(g.paired)}, DE ${g.designEffect}`, () => {
      const { n, paired, ...opts } = g;
      expect(sampleSizeProportion({ ...opts, paired: paired ?? undefined })).toBe(n);
    });
  }

  it('reproduces the table of the research notes (§4.8, p = 0.7, α = 0.05, power 0.8)', () => {
    const pts = (x: number) => Math.round(x * 1000) / 10;
    expect(pts(mdeProportion({ n: 50, baseline: 0.7 }))).toBe(25.7);
    expect(pts(mdeProportion({ n: 100, baseline: 0.7 }))).toBe(18.2);
    expect(pts(mdeProportion({ n: 30, baseline: 0.7, paired: { correlation: 0.5 } }))).toBe(23.4);
    expect(pts(mdeProportion({ n: 1000, baseline: 0.7, paired: { correlation: 0.7 } }))).toBe(3.1);
    const cases = [0.1, 0.05, 0.03, 0.02].map((delta) => [
      sampleSizeProportion({ baseline: 0.7, delta }),
      sampleSizeProportion({ baseline: 0.7, delta, paired: { correlation: 0.5 } }),
    ]);
    expect(cases).toEqual([
      [330, 165],
      [1319, 660],
      [3663, 1832],
      [8242, 4121],
    ]);
  });

  it('uses the discordance when given: paired variance 2p(1 − p)(1 − ρ) = discordance gives the same n', () => {
    expect(sampleSizeProportion({ baseline: 0.7, delta: 0.1, paired: { discordance: 0.21 } })).toBe(165);
  });
});

describe('mdeMean / sampleSizeMean (golden values from the reference)', () => {
  for (const g of golden.mdeMean) {
    it(`MDE n = ${g.n}, sd = ${g.sd}, paired ${g.paired}`, () => {
      const { mde, ...opts } = g;
      close(mdeMean(opts), mde);
    });
  }
  for (const g of golden.sampleSizeMean) {
    it(`n for δ = ${g.delta}, sd = ${g.sd}, paired ${g.paired}`, () => {
      const { n, ...opts } = g;
      expect(sampleSizeMean(opts)).toBe(n);
    });
  }

  it('gives the MDE ≈ 17 pts of the compare example (§8.2: n = 60, b = 4, c = 10)', () => {
    const sd = Math.sqrt((14 - 60 * 0.1 ** 2) / 59);
    expect(Math.round(mdeMean({ n: 60, sd, paired: true }) * 100)).toBe(17);
  });

  it('rejects bad options', () => {
    expect(() => mdeMean({ n: 0, sd: 1 })).toThrow(RangeError);
    expect(() => sampleSizeMean({ sd: 1, delta: 0 })).toThrow(RangeError);
    expect(() => mdeProportion({ n: 10, baseline: 0.5, alpha: 1 })).toThrow(RangeError);
    expect(() => mdeProportion({ n: 10, baseline: 0.5, designEffect: 0.5 })).toThrow(RangeError);
  });
});

describe('designEffect and varianceWithRepeats', () => {
  for (const g of golden.designEffect) {
    it(`m = ${g.clusterSize}, ICC = ${g.icc}`, () =>
      close(designEffect(g.clusterSize, g.icc), g.designEffect));
  }

  it('matches the research notes: ICC 0.2, clusters of 10 → 2.8; 60 cases × 5 repeats variance split', () => {
    expect(designEffect(10, 0.2)).toBeCloseTo(2.8, 12);
    expect(varianceWithRepeats({ between: 0.086, within: 0.1, repeats: 5 })).toBeCloseTo(0.106, 12);
    expect(() => varianceWithRepeats({ between: 0.1, within: 0.1, repeats: 0 })).toThrow(RangeError);
  });
});
