import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input` by edit distance (case-insensitive), or undefined when nothing is close
 * enough to be a plausible typo. Ties go to the earlier candidate, so callers list likely names first.
 * `maxDistance` tightens "close enough" (never loosens it).
 */
export function closestMatch(
  input: string,
  candidates: Iterable<string>,
  opts: { maxDistance?: number } = {},
): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    // One edit for short names, then about one per three characters ('vaule' → 'value' takes two),
    // so 'contain' → 'contains' but not 'eq' → 'equals' or 'min' → 'max'.
    const length = Math.max(needle.length, candidate.length);
    const limit = Math.min(
      length <= 3 ? 1 : Math.max(2, Math.floor(length / 3)),
      opts.maxDistance ?? Number.POSITIVE_INFINITY,
    );
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** A ready-made hint, `did you mean 'contains'?`, or undefined when no candidate is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(input, candidates);
  return match === undefined ? undefined : `did you mean '${match}'?`;
}
