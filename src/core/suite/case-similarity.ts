import { canonicalJson } from '../canonical-json.ts';
import type { ChatMessage } from '../types.ts';

/** Default Jaccard similarity at or above which two cases are near-duplicates. */
export const DEFAULT_SIMILARITY = 0.8;

/** What identifies a case's input: its variables and prior messages (as `assay` derives ids from). */
export interface CaseInput {
  vars: Record<string, unknown>;
  messages?: readonly ChatMessage[];
}

/** The input as compared: exact key plus word-bigram shingles. */
export interface CaseFingerprint {
  /** Canonical JSON of `{vars, messages}`: equal keys are exact duplicates. */
  exact: string;
  /** Field-tagged word bigrams (a field of one word contributes that word). */
  shingles: ReadonlySet<string>;
}

/**
 * Fingerprints a case input for duplicate detection. Each variable value (strings as written, other values
 * as JSON) and each message is lowercased, stripped of punctuation and cut into word bigrams; every
 * shingle is tagged with its field, so two cases only share a shingle when the same variable holds the same
 * two words, and variable names add nothing shared.
 */
export function fingerprintCase(input: CaseInput): CaseFingerprint {
  const shingles = new Set<string>();
  const add = (field: string, value: unknown) => {
    const text = typeof value === 'string' ? value : canonicalJson(value);
    const words = text
      .normalize('NFKC')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    if (words.length === 1) shingles.add(`${field}\u0000${words[0]}`);
    for (let i = 0; i + 1 < words.length; i++) shingles.add(`${field}\u0000${words[i]} ${words[i + 1]}`);
  };
  for (const [name, value] of Object.entries(input.vars)) if (value !== undefined) add(`v:${name}`, value);
  (input.messages ?? []).forEach((m, i) => {
    add(`m${i}:${m.role}`, m.content);
  });
  return {
    exact: canonicalJson({ vars: input.vars, messages: input.messages ?? [] }),
    shingles,
  };
}

/** Jaccard similarity |A ∩ B| / |A ∪ B| of two shingle sets (1 when both are empty). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) inter++;
  return inter / (a.size + b.size - inter);
}

export interface SimilarPair {
  /** Indices into the list given, `a < b`. */
  a: number;
  b: number;
  /** `exact`: the same vars and messages; `near`: Jaccard similarity at or above the threshold. */
  kind: 'exact' | 'near';
  similarity: number;
}

/**
 * Every pair of fingerprints that are exact duplicates or at least `threshold` similar (exact Jaccard, not
 * an estimate). Candidate pairs come from a prefix-filtered inverted index (below). Sorted by similarity
 * (highest first), then by index.
 */
export function similarPairs(
  prints: readonly CaseFingerprint[],
  threshold = DEFAULT_SIMILARITY,
): SimilarPair[] {
  if (!(threshold > 0 && threshold <= 1))
    throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  const out: SimilarPair[] = [];
  const byExact = new Map<string, number[]>();
  prints.forEach((p, i) => {
    const list = byExact.get(p.exact);
    if (list) list.push(i);
    else byExact.set(p.exact, [i]);
  });
  const exactPair = new Set<string>();
  for (const list of byExact.values())
    for (let x = 0; x < list.length; x++)
      for (let y = x + 1; y < list.length; y++) {
        const a = list[x] as number;
        const b = list[y] as number;
        exactPair.add(`${a},${b}`);
        out.push({ a, b, kind: 'exact', similarity: 1 });
      }
  // Prefix filtering (exact): order shingles rarest first; if J(A, B) ≥ t then |A ∩ B| ≥ ⌈t·|A|⌉, so the
  // first |A| − ⌈t·|A|⌉ + 1 shingles of A and of B share one. Only those prefixes are indexed, so shingles
  // common to most cases ("can i") produce no candidates; every candidate is then scored exactly.
  const freq = new Map<string, number>();
  for (const p of prints) for (const s of p.shingles) freq.set(s, (freq.get(s) ?? 0) + 1);
  const rank = new Map(
    [...freq]
      .sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map(([s], i) => [s, i] as const),
  );
  const index = new Map<number, number[]>();
  const seen = new Int32Array(prints.length).fill(-1);
  prints.forEach((p, b) => {
    const size = p.shingles.size;
    if (size === 0) return;
    const prefix = [...p.shingles]
      .map((s) => rank.get(s) as number)
      .sort((x, y) => x - y)
      .slice(0, size - Math.ceil(threshold * size - 1e-9) + 1);
    for (const r of prefix) {
      const list = index.get(r);
      for (const a of list ?? []) {
        if (seen[a] === b) continue;
        seen[a] = b;
        if (exactPair.has(`${a},${b}`)) continue;
        const similarity = jaccard((prints[a] as CaseFingerprint).shingles, p.shingles);
        if (similarity >= threshold - 1e-12) out.push({ a, b, kind: 'near', similarity });
      }
      if (list) list.push(b);
      else index.set(r, [b]);
    }
  });
  return out.sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b);
}
