import { normalQuantile } from './normal-quantile.ts';

export interface WilsonInterval {
  /** successes / n; NaN when n = 0. */
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Wilson score interval for a binomial proportion (two-sided). Unlike the Wald interval it stays inside
 * [0, 1] and does not collapse to zero width at 0/n or n/n, which is where prompt suites often live.
 * With n = 0 there is no information: the estimate is NaN and the interval is the whole [0, 1].
 * Throws RangeError on inputs that are not counts (a programming error, not user input).
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): WilsonInterval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, ${n}], got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  if (n === 0) return { estimate: Number.NaN, lower: 0, upper: 1 };
  return wilsonFromProportion(successes / n, n, confidence);
}

/**
 * The Wilson interval for an observed proportion `p` over `n` observations, where `p` need not be a
 * whole count over n (e.g. the mean of per-case pass rates with repeats, one observation per case).
 */
export function wilsonFromProportion(p: number, n: number, confidence = 0.95): WilsonInterval {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0/n and n/n one bound is exactly 0 or 1 in exact arithmetic; pin it so rounding cannot leak out.
  const lower = p === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = p === 1 ? 1 : Math.min(1, centre + halfWidth);
  return { estimate: p, lower, upper };
}
