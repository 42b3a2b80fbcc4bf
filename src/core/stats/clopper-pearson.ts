import { inverseRegularizedIncompleteBeta } from './incomplete-beta.ts';

export interface ClopperPearsonInterval {
  /** successes / n; NaN when n = 0. */
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Exact (Clopper–Pearson) two-sided interval for a binomial proportion:
 * [Beta⁻¹(α/2; x, n − x + 1), Beta⁻¹(1 − α/2; x + 1, n − x)], with the lower bound 0 at x = 0 and the
 * upper bound 1 at x = n. Guaranteed coverage ≥ the nominal level (conservative); use it where a bound
 * must hold, e.g. safety gates. The one-sided 1 − α upper bound is the two-sided 1 − 2α upper bound
 * (0/30 at 90 % → 1 − 0.05^{1/30} ≈ 0.0950, the "rule of three"). n = 0 → NaN estimate and [0, 1].
 */
export function clopperPearson(successes: number, n: number, confidence = 0.95): ClopperPearsonInterval {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`successes must be an integer in [0, ${n}], got ${successes}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  if (n === 0) return { estimate: Number.NaN, lower: 0, upper: 1 };
  const halfAlpha = (1 - confidence) / 2;
  const lower =
    successes === 0 ? 0 : inverseRegularizedIncompleteBeta(halfAlpha, successes, n - successes + 1);
  // Upper bound via the symmetry Beta⁻¹(1 − q; x + 1, n − x) = 1 − Beta⁻¹(q; n − x, x + 1).
  const upper =
    successes === n ? 1 : 1 - inverseRegularizedIncompleteBeta(halfAlpha, n - successes, successes + 1);
  return { estimate: successes / n, lower, upper };
}
