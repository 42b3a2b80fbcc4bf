/**
 * Field-level accuracy of a structured output against a case's `expected` object (rag-agent-structured.md
 * §3.4 step 6). The fields are the leaves of `expected` as JSON pointers (`/customer/name`): objects are
 * walked into, anything else (string, number, boolean, null, array) is a leaf. Each leaf scores in [0, 1]:
 *
 * - strings: equal after trimming, case-folding and collapsing whitespace (`" Acme  Corp"` = `"acme corp"`);
 * - numbers: equal within a relative tolerance of 1e-6 (`|a − b| ≤ 1e-6 · max(|a|, |b|)`); 0 only equals 0;
 * - booleans and null: exactly equal; a value of another type is wrong (`"42"` is not `42`);
 * - arrays: unordered, as set F1 between the expected and the actual elements (each element matched at most
 *   once, with the rules above, objects compared field by field), 1 when both are empty.
 *
 * A leaf absent from the output is `missing` (score 0); a leaf present with a different value is `wrong`;
 * leaves of the output that `expected` does not name are `extra` (reported, not scored: schemas decide
 * whether extra fields are allowed).
 */

export interface FieldScore {
  /** JSON pointer of the leaf in `expected`. */
  path: string;
  /** 1 = correct; arrays can score in between (set F1). */
  score: number;
  outcome: 'correct' | 'partial' | 'wrong' | 'missing';
}

export interface FieldComparison {
  fields: FieldScore[];
  /** JSON pointers of output leaves that `expected` does not name. */
  extra: string[];
  /** Every expected field scored 1. */
  exact: boolean;
}

const RELATIVE_TOLERANCE = 1e-6;

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** RFC 6901 escaping of one pointer segment. */
function segment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function normaliseFieldString(s: string): string {
  return s.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Whether two JSON values match under the field rules (arrays unordered, objects by key). */
export function valuesMatch(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string')
    return typeof actual === 'string' && normaliseFieldString(expected) === normaliseFieldString(actual);
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') return false;
    if (expected === actual) return true;
    return Math.abs(expected - actual) <= RELATIVE_TOLERANCE * Math.max(Math.abs(expected), Math.abs(actual));
  }
  if (Array.isArray(expected)) return Array.isArray(actual) && setF1(expected, actual) === 1;
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return false;
    const keys = Object.keys(expected);
    if (keys.length !== Object.keys(actual).length) return false;
    return keys.every((k) => Object.hasOwn(actual, k) && valuesMatch(expected[k], actual[k]));
  }
  return expected === actual;
}

/**
 * Set F1 of two arrays as multisets: each expected element is matched to at most one actual element
 * (greedy, first match), precision = matched / |actual|, recall = matched / |expected|.
 */
export function setF1(expected: readonly unknown[], actual: readonly unknown[]): number {
  if (expected.length === 0 && actual.length === 0) return 1;
  if (expected.length === 0 || actual.length === 0) return 0;
  const used = new Array<boolean>(actual.length).fill(false);
  let matched = 0;
  for (const e of expected) {
    const i = actual.findIndex((a, j) => !used[j] && valuesMatch(e, a));
    if (i >= 0) {
      used[i] = true;
      matched++;
    }
  }
  if (matched === 0) return 0;
  const precision = matched / actual.length;
  const recall = matched / expected.length;
  return (2 * precision * recall) / (precision + recall);
}

function leafScore(expected: unknown, actual: unknown): number {
  if (Array.isArray(expected)) return Array.isArray(actual) ? setF1(expected, actual) : 0;
  return valuesMatch(expected, actual) ? 1 : 0;
}

/** Compares an output value with a case's `expected` object, leaf by leaf (see the module comment). */
export function compareFields(expected: Record<string, unknown>, actual: unknown): FieldComparison {
  const fields: FieldScore[] = [];
  const extra: string[] = [];
  const walk = (exp: Record<string, unknown>, act: unknown, at: string): void => {
    const obj = isPlainObject(act) ? act : undefined;
    for (const [key, e] of Object.entries(exp)) {
      const path = `${at}/${segment(key)}`;
      const present = obj !== undefined && Object.hasOwn(obj, key);
      const a = present ? obj[key] : undefined;
      if (isPlainObject(e) && Object.keys(e).length > 0) {
        walk(e, a, path);
        continue;
      }
      if (!present) {
        fields.push({ path, score: 0, outcome: 'missing' });
        continue;
      }
      const score = leafScore(e, a);
      fields.push({ path, score, outcome: score === 1 ? 'correct' : score > 0 ? 'partial' : 'wrong' });
    }
    if (obj)
      for (const key of Object.keys(obj)) if (!Object.hasOwn(exp, key)) extra.push(`${at}/${segment(key)}`);
  };
  walk(expected, actual, '');
  return { fields, extra, exact: fields.every((f) => f.score === 1) };
}
