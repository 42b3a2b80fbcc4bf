import type { Verdict } from './comparison.ts';

/**
 * The verdict of a paired comparison, in words. With a margin m, `equivalent` when the whole interval
 * lies inside [−m, +m] (the interval form of two one-sided tests) — checked first, so a statistically
 * detectable but practically negligible difference counts as equivalent. Otherwise `better` / `worse`
 * only when the interval excludes 0 *and* p < α (both must agree; with several candidates p is the
 * Holm-adjusted one); else `no detectable difference`.
 */
export function decideVerdict(d: {
  lower: number;
  upper: number;
  p: number;
  alpha: number;
  margin?: number;
}): Verdict {
  if (d.margin !== undefined && d.lower >= -d.margin && d.upper <= d.margin) return 'equivalent';
  if (d.lower > 0 && d.p < d.alpha) return 'better';
  if (d.upper < 0 && d.p < d.alpha) return 'worse';
  return 'no detectable difference';
}
