import { describe, expect, it } from 'vitest';
import { flakinessHistogram } from './flakiness-histogram.ts';

describe('flakinessHistogram', () => {
  it('puts stable cases at the ends and flaky cases in five bins by pass rate', () => {
    const bins = flakinessHistogram([
      { passes: 0, k: 5 },
      { passes: 5, k: 5 },
      { passes: 5, k: 5 },
      { passes: 1, k: 10 }, // 10% → <20%
      { passes: 2, k: 10 }, // 20% → 20–40%
      { passes: 1, k: 2 }, // 50%
      { passes: 4, k: 5 }, // 80% → ≥80%
      { passes: 9, k: 10 }, // 90%
    ]);
    expect(bins.map((b) => [b.label, b.cases])).toEqual([
      ['always fail', 1],
      ['<20%', 1],
      ['20–40%', 1],
      ['40–60%', 1],
      ['60–80%', 0],
      ['≥80%', 2],
      ['always pass', 2],
    ]);
  });

  it('leaves out cases with fewer than two scored repeats', () => {
    const bins = flakinessHistogram([
      { passes: 1, k: 1 },
      { passes: 0, k: 0 },
    ]);
    expect(bins.reduce((n, b) => n + b.cases, 0)).toBe(0);
  });
});
