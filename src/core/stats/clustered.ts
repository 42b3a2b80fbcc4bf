import { studentTQuantile } from './student-t.ts';

export interface ClusteredInterval {
  /** The plain mean of all values (every case weighs the same). */
  estimate: number;
  lower: number;
  upper: number;
  /** Cluster-robust standard error with the CR1 correction. */
  se: number;
  /** Number of distinct clusters C. */
  clusters: number;
  /** SE_cluster² / SE_iid² (1 when clusters are singletons; > 1 when cases in a cluster move together). */
  designEffect: number;
  /** n / designEffect: the number of independent cases the sample is worth. */
  effectiveN: number;
  n: number;
  confidence: number;
  method: 'cluster-robust CR1, t(C−1)';
}

/**
 * Interval for a mean when cases come in clusters (same document, template, conversation), following
 * Miller 2024 Appendix A / stats-judges.md §1.2:
 *
 *   SE² = C/(C−1) · Σ_c ( Σ_{i∈c} (x_i − x̄) )² / n²,   CI = x̄ ± t_{1−α/2, C−1} · SE.
 *
 * The small-sample correction is CR1 for a regression on a constant: the variance is multiplied by
 * C/(C−1) (the Stata/statsmodels factor C/(C−1)·(n−1)/(n−K) with K = 1 regressor reduces to it), and the
 * interval uses Student-t with C − 1 degrees of freedom. This equals statsmodels' OLS(y, 1).fit(
 * cov_type='cluster', use_t=True) with its defaults use_correction=True, df_correction=True, and Inspect
 * AI's `stderr(cluster=…)`. With one case per cluster it reduces to the ordinary t interval.
 *
 * The design effect is SE²/SE_iid² with SE_iid² = s²/n (s² the sample variance, n − 1 denominator).
 * Degenerate inputs: no values → NaN throughout; a single cluster → SE NaN and an infinite interval
 * (no between-cluster spread to estimate); all values equal → a zero-width interval, design effect 1.
 * Cluster-robust SEs are unreliable with few clusters (< ~30): callers should warn.
 */
export function clusteredMeanInterval(
  values: readonly number[],
  clusters: readonly string[],
  confidence = 0.95,
): ClusteredInterval {
  if (values.length !== clusters.length)
    throw new RangeError(`values and clusters differ in length (${values.length} vs ${clusters.length})`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  for (const x of values) if (!Number.isFinite(x)) throw new RangeError(`values must be finite, got ${x}`);
  const n = values.length;
  const method = 'cluster-robust CR1, t(C−1)' as const;
  if (n === 0) {
    const nan = Number.NaN;
    return {
      estimate: nan,
      lower: nan,
      upper: nan,
      se: nan,
      clusters: 0,
      designEffect: nan,
      effectiveN: nan,
      n,
      confidence,
      method,
    };
  }
  let sum = 0;
  for (const x of values) sum += x;
  const mean = sum / n;
  const residualSums = new Map<string, number>();
  let squares = 0;
  values.forEach((x, i) => {
    const key = clusters[i] as string;
    residualSums.set(key, (residualSums.get(key) ?? 0) + (x - mean));
    squares += (x - mean) ** 2;
  });
  const c = residualSums.size;
  if (c < 2) {
    return {
      estimate: mean,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      se: Number.NaN,
      clusters: c,
      designEffect: Number.NaN,
      effectiveN: Number.NaN,
      n,
      confidence,
      method,
    };
  }
  let between = 0;
  for (const r of residualSums.values()) between += r * r;
  const variance = ((c / (c - 1)) * between) / (n * n);
  const se = Math.sqrt(variance);
  const half = studentTQuantile(1 - (1 - confidence) / 2, c - 1) * se;
  const iidVariance = n > 1 ? squares / (n - 1) / n : Number.NaN;
  const designEffect = iidVariance > 0 ? variance / iidVariance : 1;
  return {
    estimate: mean,
    lower: mean - half,
    upper: mean + half,
    se,
    clusters: c,
    designEffect,
    effectiveN: n / designEffect,
    n,
    confidence,
    method,
  };
}
