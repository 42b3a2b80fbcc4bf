const MAX_ORDER = 4;
/** Smoothing method 1 of Chen & Cherry (2014): a zero n-gram match count becomes this epsilon. */
const EPSILON = 0.1;

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    // \u0000 cannot occur inside a token, so the joined key is unambiguous.
    const key = tokens.slice(i, i + n).join('\u0000');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Sentence BLEU-4 with uniform weights and smoothing method 1, computed as NLTK's
 * `sentence_bleu(references, hypothesis, smoothing_function=SmoothingFunction().method1)` does:
 * clipped n-gram precisions num_n/den_n with den_n = max(1, hypothesis n-grams); a zero num_n is
 * replaced by 0.1/den_n; no unigram match at all → 0; brevity penalty against the reference whose
 * length is closest to the hypothesis (the shorter one on a tie).
 */
export function sentenceBleu(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
): number {
  if (references.length === 0) throw new RangeError('sentenceBleu needs at least one reference');
  let logSum = 0;
  for (let n = 1; n <= MAX_ORDER; n++) {
    const counts = ngramCounts(hypothesis, n);
    const maxRef = new Map<string, number>();
    for (const reference of references) {
      const refCounts = ngramCounts(reference, n);
      for (const key of counts.keys()) {
        maxRef.set(key, Math.max(maxRef.get(key) ?? 0, refCounts.get(key) ?? 0));
      }
    }
    let matched = 0;
    let total = 0;
    for (const [key, count] of counts) {
      matched += Math.min(count, maxRef.get(key) ?? 0);
      total += count;
    }
    const denominator = Math.max(1, total);
    if (n === 1 && matched === 0) return 0;
    const precision = matched === 0 ? EPSILON / denominator : matched / denominator;
    logSum += Math.log(precision) / MAX_ORDER;
  }
  return brevityPenalty(references, hypothesis.length) * Math.exp(logSum);
}

function brevityPenalty(references: readonly (readonly string[])[], hypLength: number): number {
  let closest = Number.POSITIVE_INFINITY;
  for (const reference of references) {
    const len = reference.length;
    const better =
      Math.abs(len - hypLength) < Math.abs(closest - hypLength) ||
      (Math.abs(len - hypLength) === Math.abs(closest - hypLength) && len < closest);
    if (better) closest = len;
  }
  if (hypLength > closest) return 1;
  if (hypLength === 0) return 0;
  return Math.exp(1 - closest / hypLength);
}
