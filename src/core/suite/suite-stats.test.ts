import { describe, expect, it } from 'vitest';
import { type StatsCase, suiteStats } from './suite-stats.ts';

const c = (id: string, message: string, extra: Partial<StatsCase> = {}): StatsCase => ({
  id,
  vars: { message },
  tags: [],
  ...extra,
});

describe('suiteStats', () => {
  it('counts by category (built-ins always listed), tag, split and review', () => {
    const s = suiteStats([
      c('a', 'one two', { category: 'edge', tags: ['x', 'y'], split: 'dev' }),
      c('b', 'three four', { category: 'edge', tags: ['x'], split: 'test', review: 'unreviewed' }),
      c('c', 'five six', { category: 'billing-edge', review: 'accepted' }),
      c('d', 'seven eight'),
    ]);
    expect(s.cases).toBe(4);
    expect(s.byCategory).toEqual([
      { name: 'representative', count: 0 },
      { name: 'edge', count: 2 },
      { name: 'adversarial', count: 0 },
      { name: 'negative', count: 0 },
      { name: 'billing-edge', count: 1 },
      { name: '(none)', count: 1 },
    ]);
    expect(s.byTag).toEqual([
      { name: 'x', count: 2 },
      { name: 'y', count: 1 },
    ]);
    expect(s.bySplit).toEqual({ dev: 1, test: 1, none: 2 });
    expect(s.byReview).toEqual({ accepted: 1, unreviewed: 1, none: 2 });
    const codes = s.warnings.map((w) => w.code);
    expect(codes.filter((x) => x === 'missing-category')).toHaveLength(3);
    expect(codes).toContain('tiny-category');
    expect(codes).toContain('uncategorised');
    expect(codes).toContain('partly-split');
    expect(codes).toContain('unreviewed');
    expect(s.warnings.find((w) => w.code === 'missing-category')?.message).toMatch(
      /no representative cases.*assay generate SUITE --category representative/,
    );
  });

  it('a balanced suite without duplicates has no warnings', () => {
    const cats = ['representative', 'edge', 'adversarial', 'negative'];
    const cases = cats.flatMap((cat) =>
      Array.from({ length: 5 }, (_, i) =>
        c(`${cat}-${i}`, `${cat} question number ${i} about ${cat.length * i}`, { category: cat }),
      ),
    );
    expect(suiteStats(cases).warnings).toEqual([]);
  });

  it('finds duplicates, split leaks and clusters straddling the split', () => {
    const s = suiteStats([
      c('a', 'Can I get my money back?', { split: 'dev' }),
      c('b', 'can I get my money back please', { split: 'test' }),
      c('c', 'Can I get my money back?', { split: 'dev' }),
      c('d', 'Where is my parcel', { split: 'dev', cluster: 'k' }),
      c('e', 'Parcel not arrived yet', { split: 'test', cluster: 'k' }),
      c('f', 'Totally different', { split: 'test', cluster: 'm' }),
    ]);
    expect(s.duplicates.map((d) => [d.a, d.b, d.kind])).toEqual([
      ['a', 'c', 'exact'],
      ['a', 'b', 'near'],
      ['b', 'c', 'near'],
    ]);
    expect(s.leaks.map((d) => [d.a, d.b])).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(s.straddlingClusters).toEqual([{ cluster: 'k', dev: ['d'], test: ['e'] }]);
    expect(s.clusters).toEqual({ count: 2, casesInClusters: 3, largest: 2 });
    const codes = s.warnings.map((w) => w.code);
    expect(codes).toEqual(
      expect.arrayContaining(['duplicate', 'near-duplicate', 'split-leak', 'cluster-straddles']),
    );
  });

  it('the similarity threshold is adjustable', () => {
    const cases = [c('a', 'Can I get my money back?'), c('b', 'can I get my money back please')];
    expect(suiteStats(cases, { similarity: 0.9 }).duplicates).toEqual([]);
    expect(suiteStats(cases, { similarity: 0.8 }).duplicates).toHaveLength(1);
  });

  it('an empty suite has no coverage warnings', () => {
    expect(suiteStats([]).warnings).toEqual([]);
  });
});
