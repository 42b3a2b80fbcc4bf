import { describe, expect, it } from 'vitest';
import { fingerprintCase, jaccard, similarPairs } from './case-similarity.ts';

describe('fingerprintCase / jaccard', () => {
  it('word bigrams per field, case and punctuation ignored', () => {
    const a = fingerprintCase({ vars: { message: 'Can I get my money back?' } });
    const b = fingerprintCase({ vars: { message: 'can i get my MONEY back, please' } });
    // 5 shared bigrams of 6 in the union: "back please" is the only extra.
    expect(a.shingles.size).toBe(5);
    expect(jaccard(a.shingles, b.shingles)).toBeCloseTo(5 / 6, 12);
  });

  it('the same words in another variable share nothing; names add nothing', () => {
    const a = fingerprintCase({ vars: { question: 'where is my parcel' } });
    const b = fingerprintCase({ vars: { message: 'where is my parcel' } });
    expect(jaccard(a.shingles, b.shingles)).toBe(0);
  });

  it('exact keys ignore key order, include messages', () => {
    const a = fingerprintCase({ vars: { x: 1, y: 'a' } });
    const b = fingerprintCase({ vars: { y: 'a', x: 1 } });
    const c = fingerprintCase({ vars: { x: 1, y: 'a' }, messages: [{ role: 'user', content: 'hi' }] });
    expect(a.exact).toBe(b.exact);
    expect(a.exact).not.toBe(c.exact);
  });
});

describe('similarPairs', () => {
  const prints = [
    'Can I get my money back?',
    'The blender arrived broken and smoking',
    'can I get my money back please',
    'Can I get my money back?',
    'What is the capital of France',
  ].map((m) => fingerprintCase({ vars: { message: m } }));

  it('finds exact and near pairs, never the same pair twice, most similar first', () => {
    expect(similarPairs(prints, 0.8)).toEqual([
      { a: 0, b: 3, kind: 'exact', similarity: 1 },
      { a: 0, b: 2, kind: 'near', similarity: 5 / 6 },
      { a: 2, b: 3, kind: 'near', similarity: 5 / 6 },
    ]);
  });

  it('a threshold above the similarity keeps only exact duplicates', () => {
    expect(similarPairs(prints, 0.9).map((p) => p.kind)).toEqual(['exact']);
  });

  it('agrees with brute force over all pairs', () => {
    const words = ['refund', 'order', 'late', 'broken', 'parcel', 'where', 'is', 'my', 'the', 'a'];
    let s = 7;
    const rnd = () => {
      s = (s * 1103515245 + 12345) % 2147483648;
      return s / 2147483648;
    };
    const many = Array.from({ length: 60 }, () =>
      fingerprintCase({
        vars: {
          m: Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => words[Math.floor(rnd() * 4)]).join(' '),
        },
      }),
    );
    for (const t of [0.3, 0.5, 0.8, 1]) {
      const got = similarPairs(many, t);
      const want: string[] = [];
      for (let a = 0; a < many.length; a++)
        for (let b = a + 1; b < many.length; b++) {
          const pa = many[a] as (typeof many)[number];
          const pb = many[b] as (typeof many)[number];
          if (pa.exact === pb.exact || jaccard(pa.shingles, pb.shingles) >= t) want.push(`${a},${b}`);
        }
      expect(got.map((p) => `${p.a},${p.b}`).sort()).toEqual(want.sort());
      expect(got.filter((p) => p.kind === 'near').length).toBeGreaterThan(t < 1 ? 0 : -1);
    }
  });

  it('rejects a threshold outside (0, 1]', () => {
    expect(() => similarPairs(prints, 0)).toThrow(RangeError);
  });
});
