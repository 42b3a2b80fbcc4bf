import type { CheckSpec } from '../types.ts';

/**
 * The field a one-key shorthand fills, per check type: `- regex: "^ok"` → `{ type: 'regex', pattern: '^ok' }`.
 * Types not listed take `value`.
 */
export const CHECK_MAIN_KEYS: Readonly<Record<string, string>> = {
  regex: 'pattern',
  'json-schema': 'schema',
  'json-path': 'path',
  length: 'max',
  latency: 'max',
  cost: 'max',
  'canary-not-leaked': 'canary',
  'contains-citation': 'ids',
  'cites-gold': 'ids',
  'no-pii': 'kinds',
  'is-valid-tool-call': 'name',
  'tool-called': 'tool',
  'tool-not-called': 'tool',
  'tool-sequence': 'tools',
  'stopped-properly': 'goal',
  'end-state': 'expect',
  never: 'pattern',
  'all-turns': 'check',
  all: 'checks',
  any: 'checks',
  weighted: 'checks',
  custom: 'ref',
  bleu: 'value',
};

/** The shorthand's main key for a check type (see CHECK_MAIN_KEYS). */
export function checkMainKey(type: string): string {
  return CHECK_MAIN_KEYS[type] ?? 'value';
}

export type NormalizeCheckResult =
  | { ok: true; spec: CheckSpec }
  | { ok: false; problem: string; expected: string; hint?: string };

const EXPECTED =
  "a check: a mapping with 'type' (type: contains, value: refund), a one-key shorthand (contains: refund) or a type name (is-json)";

/**
 * Turns a check as written into a CheckSpec. Accepted forms:
 * - `{ type: contains, value: refund }` — kept as is;
 * - `{ contains: refund }` — one key that is the type, its value goes to the type's main key;
 * - `{ json-path: { path: $.a, equals: 1 } }` — one key whose value is a mapping of the check's fields
 *   (a mapping that has its own `type`, like an inline JSON Schema, is the main value instead);
 * - `{ is-json: null }` / `{ is-json: {} }` / `is-json` — a check with no fields.
 */
export function normalizeCheck(raw: unknown): NormalizeCheckResult {
  if (typeof raw === 'string') {
    if (!raw.trim()) return { ok: false, problem: 'empty check', expected: EXPECTED };
    return { ok: true, spec: { type: raw.trim() } };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return {
      ok: false,
      problem: `a check cannot be ${Array.isArray(raw) ? 'a list' : String(raw)}`,
      expected: EXPECTED,
    };
  const obj = raw as Record<string, unknown>;
  if ('type' in obj) {
    if (typeof obj.type !== 'string' || !obj.type.trim())
      return { ok: false, problem: "check 'type' must be a non-empty string", expected: EXPECTED };
    return { ok: true, spec: { ...obj, type: obj.type } };
  }
  const keys = Object.keys(obj);
  const [type] = keys;
  if (keys.length !== 1 || type === undefined) {
    return {
      ok: false,
      problem: keys.length === 0 ? 'empty check' : `check has no 'type' (found keys: ${keys.join(', ')})`,
      expected: EXPECTED,
      hint: keys.length > 1 ? `add 'type: ...', or write one check per list item` : undefined,
    };
  }
  const value = obj[type];
  if (value === null || value === undefined) return { ok: true, spec: { type } };
  if (typeof value === 'object' && !Array.isArray(value)) {
    // A mapping with its own `type` cannot be the check's fields: it is the main value (an inline schema).
    if ('type' in value) return { ok: true, spec: { type, [checkMainKey(type)]: value } };
    return { ok: true, spec: { type, ...(value as Record<string, unknown>) } };
  }
  return { ok: true, spec: { type, [checkMainKey(type)]: value } };
}
