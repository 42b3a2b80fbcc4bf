import {
  inverseRegularizedIncompleteBeta,
  regularizedIncompleteBetaWithComplement,
} from './incomplete-beta.ts';
import { normalQuantile } from './normal-quantile.ts';

function checkDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`degrees of freedom must be positive, got ${df}`);
}

/**
 * P(T ≤ t) for Student's t with `df` > 0 degrees of freedom (not necessarily an integer), from the
 * incomplete beta: the two-sided tail is I_{df/(df+t²)}(df/2, 1/2), with the complement t²/(df+t²) passed
 * separately so values near t = 0 keep full precision. t = ±∞ → 1 or 0; NaN → NaN.
 */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  if (df === Number.POSITIVE_INFINITY) throw new RangeError('studentTCdf needs a finite df');
  const r = Math.abs(t) / Math.sqrt(df);
  const r2 = r * r;
  const x = r > 1e150 ? 1 / r / r : 1 / (1 + r2);
  const y = r > 1e150 ? 1 : r2 / (1 + r2);
  const tail = 0.5 * regularizedIncompleteBetaWithComplement(x, y, df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * The Student-t quantile: the t with P(T ≤ t) = p. Inverts the incomplete beta for x = df/(df+t²) or
 * for 1 − x, whichever keeps more digits (chosen from the normal approximation), so both the centre and
 * the far tails keep their relative precision. df = ∞ gives the normal quantile. p = 0 → −∞, p = 1 → +∞,
 * p outside [0, 1] or NaN → NaN.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  const tail = p < 0.5 ? p : 1 - p; // exact for p in [0.5, 1]
  const q = 2 * tail; // two-sided tail probability
  let t: number;
  if (df === 1) {
    t = 1 / Math.tan(Math.PI * tail); // Cauchy: closed form
  } else if (df === 2) {
    t = (1 - q) * Math.sqrt(2 / (q * (2 - q))); // closed form for df = 2
  } else {
    // x = df/(df+t²) is only known to ~1e-16 absolute, so 1 − x loses digits when it is small; solving for
    // y = 1 − x instead needs 1 − q, which loses digits when q is small. Take the path that loses less,
    // estimating y from the normal approximation.
    const z = normalQuantile(tail);
    if (q < (z * z) / (df + z * z)) {
      const x = inverseRegularizedIncompleteBeta(q, df / 2, 0.5);
      t = Math.sqrt((df * (1 - x)) / x);
    } else {
      const y = inverseRegularizedIncompleteBeta(1 - q, 0.5, df / 2);
      t = Math.sqrt((df * y) / (1 - y));
    }
  }
  return p < 0.5 ? -t : t;
}

export interface TInterval {
  /** The sample mean; NaN when there are no values. */
  estimate: number;
  lower: number;
  upper: number;
  /** Sample standard deviation (n − 1 denominator); NaN when n < 2. */
  sd: number;
  n: number;
}

/**
 * Two-sided Student-t interval for a mean: x̄ ± t_{1−α/2, n−1} · s/√n. All-equal values give a
 * zero-width interval; one value gives (−∞, +∞) (no spread to estimate); no values give NaN throughout.
 * Non-finite values throw a RangeError (a programming error: scores are finite numbers).
 */
export function tInterval(xs: readonly number[], confidence = 0.95): TInterval {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const n = xs.length;
  for (const x of xs) if (!Number.isFinite(x)) throw new RangeError(`values must be finite, got ${x}`);
  if (n === 0) return { estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, sd: Number.NaN, n };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  if (n === 1) {
    return {
      estimate: mean,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      sd: Number.NaN,
      n,
    };
  }
  let squares = 0;
  for (const x of xs) squares += (x - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const halfWidth = studentTQuantile(1 - (1 - confidence) / 2, n - 1) * (sd / Math.sqrt(n));
  return { estimate: mean, lower: mean - halfWidth, upper: mean + halfWidth, sd, n };
}
