export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** Length of the longest common subsequence of two token lists; O(n·m) time, O(m) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] =
        a[i - 1] === b[j - 1]
          ? (previous[j - 1] as number) + 1
          : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

/**
 * ROUGE-L of a candidate against one reference (both already tokenised): precision = LCS/|candidate|,
 * recall = LCS/|reference|, F = 2PR/(P+R). Either side empty → all zero, as in rouge-score.
 */
export function rougeL(candidate: readonly string[], reference: readonly string[]): RougeScore {
  if (candidate.length === 0 || reference.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const lcs = lcsLength(candidate, reference);
  const precision = lcs / candidate.length;
  const recall = lcs / reference.length;
  const fmeasure = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, fmeasure };
}
