import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input` (case-insensitive edit distance), when it is close enough to be the
 * likely intent: at most a third of the longer word's length, and at least 1. `undefined` otherwise.
 */
export function didYouMean(input: string, candidates: string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(needle.length, best.length) / 3));
  return bestDistance <= limit ? best : undefined;
}
