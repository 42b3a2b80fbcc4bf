import { describe, expect, it } from 'vitest';
import { lookupJsonPath, parseJsonPath } from './json-path.ts';

function lookup(path: string, value: unknown) {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) throw new Error(parsed.error);
  return lookupJsonPath(value, parsed.segments);
}

describe('parseJsonPath', () => {
  it('parses $, .key, quoted keys and indexes', () => {
    expect(parseJsonPath('$')).toEqual({ ok: true, segments: [] });
    expect(parseJsonPath(`$.a['b c']["d\\"e"][0][-1].$f_g-h`)).toEqual({
      ok: true,
      segments: [
        { key: 'a' },
        { key: 'b c' },
        { key: 'd"e' },
        { index: 0 },
        { index: -1 },
        { key: '$f_g-h' },
      ],
    });
  });

  it('rejects what is outside the subset', () => {
    for (const bad of ['a.b', '$..a', '$.*', '$[*]', "$['a'", '$[1', '$.a b', '$[?(@.x)]']) {
      expect(parseJsonPath(bad).ok, bad).toBe(false);
    }
  });
});

describe('lookupJsonPath', () => {
  const doc = { order: { items: [{ sku: 'A' }, { sku: 'B' }] }, 'a key': 1 };
  it('finds values', () => {
    expect(lookup('$.order.items[1].sku', doc)).toEqual({ found: true, value: 'B' });
    expect(lookup('$.order.items[-2].sku', doc)).toEqual({ found: true, value: 'A' });
    expect(lookup("$['a key']", doc)).toEqual({ found: true, value: 1 });
    expect(lookup('$', doc)).toEqual({ found: true, value: doc });
  });

  it('says where the path stopped resolving', () => {
    expect(lookup('$.order.items[2].sku', doc)).toEqual({ found: false, missingAt: '$.order.items[2]' });
    expect(lookup('$.order.items.sku', doc)).toEqual({ found: false, missingAt: '$.order.items.sku' });
    expect(lookup('$.order[0]', doc)).toEqual({ found: false, missingAt: '$.order[0]' });
    expect(lookup("$['a key'].x", doc)).toEqual({ found: false, missingAt: "$['a key'].x" });
  });

  it('does not walk into prototypes', () => {
    expect(lookup('$.toString', {}).found).toBe(false);
    expect(lookup('$.__proto__', {}).found).toBe(false);
    expect(lookup('$.length', [1]).found).toBe(false);
  });
});
