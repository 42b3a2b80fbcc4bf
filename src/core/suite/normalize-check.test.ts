import { describe, expect, it } from 'vitest';
import { checkMainKey, normalizeCheck } from './normalize-check.ts';

describe('normalizeCheck', () => {
  it('keeps full specs', () => {
    expect(normalizeCheck({ type: 'contains', value: 'x', not: true })).toEqual({
      ok: true,
      spec: { type: 'contains', value: 'x', not: true },
    });
  });

  it('expands one-key shorthand into the main key of the type', () => {
    expect(normalizeCheck({ contains: 'refund' })).toEqual({
      ok: true,
      spec: { type: 'contains', value: 'refund' },
    });
    expect(normalizeCheck({ regex: '^ok' })).toEqual({ ok: true, spec: { type: 'regex', pattern: '^ok' } });
    expect(normalizeCheck({ 'json-schema': 's.json' })).toEqual({
      ok: true,
      spec: { type: 'json-schema', schema: 's.json' },
    });
    expect(normalizeCheck({ length: 50 })).toEqual({ ok: true, spec: { type: 'length', max: 50 } });
    expect(normalizeCheck({ 'canary-not-leaked': 'XYZ' })).toEqual({
      ok: true,
      spec: { type: 'canary-not-leaked', canary: 'XYZ' },
    });
    expect(normalizeCheck({ 'not-contains': ['a', 'b'] })).toEqual({
      ok: true,
      spec: { type: 'not-contains', value: ['a', 'b'] },
    });
  });

  it('spreads a mapping value as the fields, unless it has its own type (an inline schema)', () => {
    expect(normalizeCheck({ 'json-path': { path: '$.a', equals: 1 } })).toEqual({
      ok: true,
      spec: { type: 'json-path', path: '$.a', equals: 1 },
    });
    expect(normalizeCheck({ 'json-schema': { type: 'object' } })).toEqual({
      ok: true,
      spec: { type: 'json-schema', schema: { type: 'object' } },
    });
  });

  it('accepts bare type names and empty shorthand', () => {
    expect(normalizeCheck('is-json')).toEqual({ ok: true, spec: { type: 'is-json' } });
    expect(normalizeCheck({ 'not-refused': null })).toEqual({ ok: true, spec: { type: 'not-refused' } });
    expect(normalizeCheck({ 'no-pii': {} })).toEqual({ ok: true, spec: { type: 'no-pii' } });
  });

  it('rejects what cannot be a check', () => {
    for (const bad of [{ a: 1, b: 2 }, {}, 5, null, [], '', { type: 3 }])
      expect(normalizeCheck(bad).ok).toBe(false);
  });

  it('knows the main keys', () => {
    expect(checkMainKey('contains')).toBe('value');
    expect(checkMainKey('regex')).toBe('pattern');
  });
});
