import { describe, expect, it } from 'vitest';
import { compareFields, setF1, valuesMatch } from './field-accuracy.ts';

describe('valuesMatch', () => {
  it('compares strings trimmed, case-folded, with whitespace collapsed', () => {
    expect(valuesMatch('Ada Lovelace', '  ada\n  LOVELACE ')).toBe(true);
    expect(valuesMatch('Ada Lovelace', 'Ada-Lovelace')).toBe(false);
  });

  it('compares numbers within a relative tolerance of 1e-6, never across types', () => {
    expect(valuesMatch(1000, 1000.0005)).toBe(true); // 5e-7 relative
    expect(valuesMatch(1000, 1000.002)).toBe(false); // 2e-6 relative
    expect(valuesMatch(0, 1e-12)).toBe(false);
    expect(valuesMatch(42, '42')).toBe(false);
    expect(valuesMatch(true, 'true')).toBe(false);
    expect(valuesMatch(null, null)).toBe(true);
    expect(valuesMatch(null, 0)).toBe(false);
  });

  it('compares objects key by key with the same rules, and arrays as sets', () => {
    expect(valuesMatch({ a: 'X', b: [1, 2] }, { b: [2, 1], a: ' x' })).toBe(true);
    expect(valuesMatch({ a: 'x' }, { a: 'x', b: 1 })).toBe(false);
  });
});

describe('setF1', () => {
  it('is the F1 of the matched elements, each matched once', () => {
    expect(setF1(['a', 'b'], ['b', 'a'])).toBe(1);
    // 1 matched of 3 actual (precision 1/3) and 2 expected (recall 1/2): F1 = 0.4.
    expect(setF1(['a', 'b'], ['a', 'c', 'd'])).toBeCloseTo(0.4, 12);
    // Duplicates: ['a', 'a'] against ['a']: 1 matched, precision 1, recall 1/2 → 2/3.
    expect(setF1(['a', 'a'], ['a'])).toBeCloseTo(2 / 3, 12);
    expect(setF1([], [])).toBe(1);
    expect(setF1([], ['a'])).toBe(0);
    expect(setF1(['a'], ['b'])).toBe(0);
  });
});

describe('compareFields', () => {
  it('scores every leaf of expected by JSON pointer and reports missing, wrong and extra fields', () => {
    const cmp = compareFields(
      { name: 'Ada', address: { city: 'London', 'zip/code': 'N1' }, tags: ['a', 'b'], age: 36 },
      { name: 'ada', address: { city: 'Paris' }, tags: ['a', 'c', 'd'], age: 36, note: 'x' },
    );
    expect(cmp.fields).toEqual([
      { path: '/name', score: 1, outcome: 'correct' },
      { path: '/address/city', score: 0, outcome: 'wrong' },
      { path: '/address/zip~1code', score: 0, outcome: 'missing' },
      { path: '/tags', score: expect.closeTo(0.4, 12), outcome: 'partial' },
      { path: '/age', score: 1, outcome: 'correct' },
    ]);
    expect(cmp.extra).toEqual(['/note']);
    expect(cmp.exact).toBe(false);
  });

  it('counts every leaf under a missing or non-object parent as missing', () => {
    const cmp = compareFields({ a: { b: 1, c: 2 } }, { a: 'flat' });
    expect(cmp.fields.map((f) => [f.path, f.outcome])).toEqual([
      ['/a/b', 'missing'],
      ['/a/c', 'missing'],
    ]);
  });

  it('is exact when every expected field is correct, extra fields notwithstanding', () => {
    const cmp = compareFields({ id: 7, ok: true }, { id: 7.0000001, ok: true, extra: 1 });
    expect(cmp.exact).toBe(true);
    expect(cmp.extra).toEqual(['/extra']);
  });
});
