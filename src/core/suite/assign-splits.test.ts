import { describe, expect, it } from 'vitest';
import { assignSplits, largestRemainder, type SplitCase } from './assign-splits.ts';

function suite(): SplitCase[] {
  const out: SplitCase[] = [];
  const sizes: Record<string, number> = { representative: 20, edge: 7, adversarial: 5, negative: 3 };
  for (const [cat, n] of Object.entries(sizes))
    for (let i = 0; i < n; i++) out.push({ id: `${cat}-${i}`, category: cat });
  return out;
}

const testIds = (a: ReturnType<typeof assignSplits>) =>
  [...a.splits].filter(([, s]) => s === 'test').map(([id]) => id);

describe('largestRemainder', () => {
  it('floors each quota and gives what is left to the largest fractions', () => {
    // 0.3 × [20, 7, 5, 3] = [6, 2.1, 1.5, 0.9] → floors [6, 2, 1, 0] = 9; round(10.5) = 11, so the two
    // largest fractions (0.9, 0.5) get one more each.
    expect(largestRemainder([20, 7, 5, 3], 0.3)).toEqual([6, 2, 2, 1]);
    expect(largestRemainder([1, 1, 1], 0.5)).toEqual([1, 1, 0]);
    expect(largestRemainder([4], 0)).toEqual([0]);
    expect(largestRemainder([4], 1)).toEqual([4]);
  });
});

describe('assignSplits', () => {
  it('gives each category its share of test cases', () => {
    const a = assignSplits(suite(), { test: 0.3, seed: 7 });
    expect(a.strata.map((s) => [s.name, s.cases, s.test])).toEqual([
      ['adversarial', 5, 2],
      ['edge', 7, 2],
      ['negative', 3, 1],
      ['representative', 20, 6],
    ]);
    expect(a.splits.size).toBe(35);
    expect(testIds(a)).toHaveLength(11);
  });

  it('same seed → same assignment whatever the case order; another seed → another one', () => {
    const a = assignSplits(suite(), { test: 0.3, seed: 7 });
    const b = assignSplits([...suite()].reverse(), { test: 0.3, seed: 7 });
    const c = assignSplits(suite(), { test: 0.3, seed: 8 });
    expect(testIds(b).sort()).toEqual(testIds(a).sort());
    expect(testIds(c).sort()).not.toEqual(testIds(a).sort());
  });

  it('never puts one cluster in both splits', () => {
    const cases: SplitCase[] = [];
    for (let k = 0; k < 12; k++)
      for (let j = 0; j <= k % 3; j++)
        cases.push({ id: `k${k}-${j}`, category: k % 2 ? 'edge' : 'negative', cluster: `k${k}` });
    for (let seed = 0; seed < 20; seed++) {
      const a = assignSplits(cases, { test: 0.4, seed });
      for (let k = 0; k < 12; k++) {
        const splits = new Set(cases.filter((c) => c.cluster === `k${k}`).map((c) => a.splits.get(c.id)));
        expect(splits.size).toBe(1);
      }
      expect(a.groups).toBe(8);
    }
  });

  it('keeps linked cases together, through chains of links and clusters', () => {
    const cases: SplitCase[] = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, category: 'edge' }));
    (cases[2] as SplitCase).cluster = 'k';
    (cases[3] as SplitCase).cluster = 'k';
    for (let seed = 0; seed < 20; seed++) {
      const a = assignSplits(cases, {
        test: 0.5,
        seed,
        together: [
          ['c0', 'c1'],
          ['c1', 'c2'],
          ['c8', 'c9'],
        ],
      });
      expect(new Set(['c0', 'c1', 'c2', 'c3'].map((id) => a.splits.get(id))).size).toBe(1);
      expect(a.splits.get('c8')).toBe(a.splits.get('c9'));
      expect(a.groups).toBe(2);
    }
  });

  it('reaches the nearest count when clusters make the exact share impossible', () => {
    const cases: SplitCase[] = [
      ...['a', 'b', 'c', 'd'].map((id) => ({ id, category: 'edge', cluster: 'big' })),
      { id: 'e', category: 'edge' },
      { id: 'f', category: 'edge' },
    ];
    // Target round(0.5 × 6) = 3: {e, f} gives 2 (gap 1), the big cluster 4 (gap 1): stays under.
    const a = assignSplits(cases, { test: 0.5, seed: 1 });
    expect(a.strata[0]).toMatchObject({ target: 3 });
    expect([2, 4]).toContain(a.strata[0]?.test);
  });

  it('without stratification only the total share is kept', () => {
    const a = assignSplits(suite(), { test: 0.3, seed: 3, stratify: 'none' });
    expect(a.strata).toEqual([{ name: 'all', cases: 35, target: 11, test: 11 }]);
  });

  it('rejects a share outside [0, 1]', () => {
    expect(() => assignSplits(suite(), { test: 1.5, seed: 1 })).toThrow(RangeError);
  });
});
