import { bootstrapInterval, quantileSorted } from './bootstrap.ts';
import { passAtK, passHatK } from './pass-at-k.ts';
import { createRandom } from './random.ts';
import { tInterval } from './student-t.ts';
import { wilsonFromProportion } from './wilson.ts';

/** One case run `k` times (scored repeats; errors excluded) with `passes` passing. */
export interface RepeatCase {
  caseId: string;
  passes: number;
  k: number;
}

export type PassAt1Method = 'student-t over cases' | 'bootstrap over cases' | 'wilson over cases';

export interface RepeatEstimate {
  k: number;
  estimate: number;
  /**
   * Interval over cases, by `RepeatStats.intervalMethod` — except when every case has the same value
   * (no spread across cases, where a resampling or t interval would have zero width): then a Wilson
   * interval for the estimate with one observation per case, and `method` says so.
   */
  lower: number;
  upper: number;
  method?: 'wilson over cases';
}

export interface RepeatStats {
  /** Cases with at least one scored repeat. */
  cases: number;
  /** The most scored repeats of any case. */
  k: number;
  /** Mean of per-case pass rates, with an interval from the variation across cases (never n·k trials). */
  passAt1: {
    estimate: number;
    lower: number;
    upper: number;
    method: PassAt1Method;
    confidence: number;
    n: number;
  };
  /** pass@k' (Chen et al.) for k' = 1 … the fewest scored repeats of any case, averaged over cases. */
  passAtK: RepeatEstimate[];
  /** pass^k' (tau-bench) for the same k', averaged over cases. */
  passHatK: RepeatEstimate[];
  /** Cases with 0 < passes < k, the most unstable (pass rate nearest 50%) first. */
  flaky: RepeatCase[];
  /**
   * Miller's decomposition Var(pass@1) = (ω² + σ²/K)/n (stats-judges.md §1.3). `between` = ω², the variance
   * of the cases' true pass rates; `within` = σ², the mean within-case (Bernoulli) variance, estimated
   * unbiasedly as k/(k−1)·p̂(1−p̂) per case with k ≥ 2; `withinShare` = the part of Var(pass@1) that more
   * repeats could remove, (σ²·mean(1/k_i)) / Var(p̂_i). Advice: `more repeats` only when that share is over
   * half; otherwise `more cases` (repeats never reduce the between-case term, and per call a new case
   * always buys at least as much precision as a new repeat). When the per-case rates do not vary at all
   * (Var(p̂_i) = 0) the share is 1 if there is within-case noise (every case equally flaky: more repeats)
   * and 0 if there is none (every case always passes or always fails); NaN only with a single case.
   */
  variance: {
    between: number;
    within: number;
    withinShare: number;
    advice: 'more cases' | 'more repeats';
    /** SE of pass@1 across cases (sample SD of per-case rates / √n). */
    se: number;
    /** The SE one would get by wrongly treating the n·k results as independent (for a note). */
    naiveSe: number;
  };
  /**
   * How pass@k' and pass^k' intervals were made: a percentile bootstrap over cases (seeded with `seed`,
   * `resamples` draws), or, for very large runs where the bootstrap would cost too much (n·2k > 50,000),
   * Student-t over the per-case estimates (`resamples` 0), clipped to [0, 1].
   */
  intervalMethod: 'bootstrap over cases' | 'student-t over cases';
  seed: number;
  resamples: number;
  warnings: string[];
}

export interface RepeatStatsOptions {
  /** Seed of the bootstrap over cases; default 0. */
  seed?: number;
  /** Bootstrap resamples; default 10,000, lowered (not below 1,000) for large runs to bound the work. */
  resamples?: number;
  confidence?: number;
}

/**
 * Statistics of a run with repeats (`--repeat k`, stats-judges.md §8.3).
 *
 * pass@1's interval: Student-t over the n per-case pass rates when n ≥ 30 and pass@1 is strictly between 0
 * and 1; a percentile bootstrap over cases (seeded) when n < 30; a Wilson interval with one observation per
 * case when pass@1 is exactly 0 or 1, n = 1, or every case has the same pass rate (any variance-based
 * interval would have zero width there). pass@k' and pass^k' fall back to Wilson over cases the same way.
 * Intervals are clipped to [0, 1].
 */
export function repeatStats(cases: readonly RepeatCase[], opts: RepeatStatsOptions = {}): RepeatStats {
  const seed = opts.seed ?? 0;
  const confidence = opts.confidence ?? 0.95;
  for (const c of cases) {
    if (!Number.isInteger(c.k) || c.k < 1)
      throw new RangeError(`case ${c.caseId}: k must be a positive integer`);
    if (!Number.isInteger(c.passes) || c.passes < 0 || c.passes > c.k)
      throw new RangeError(`case ${c.caseId}: passes must be an integer in [0, ${c.k}]`);
  }
  const n = cases.length;
  const rates = cases.map((c) => c.passes / c.k);
  const kMax = cases.reduce((m, c) => Math.max(m, c.k), 0);
  const kMin = cases.reduce((m, c) => Math.min(m, c.k), Number.POSITIVE_INFINITY);
  const kTop = n === 0 ? 0 : kMin;
  const cells = Math.max(1, n * 2 * kTop);
  const bootstrapped = opts.resamples !== undefined || cells <= 50_000;
  const resamples = bootstrapped
    ? (opts.resamples ?? Math.max(1000, Math.min(10_000, Math.floor(5e7 / cells))))
    : 0;
  const warnings: string[] = [];

  if (n === 0) {
    const nan = Number.NaN;
    return {
      cases: 0,
      k: 0,
      passAt1: { estimate: nan, lower: 0, upper: 1, method: 'wilson over cases', confidence, n: 0 },
      passAtK: [],
      passHatK: [],
      flaky: [],
      variance: { between: nan, within: nan, withinShare: nan, advice: 'more cases', se: nan, naiveSe: nan },
      intervalMethod: 'bootstrap over cases',
      seed,
      resamples,
      warnings,
    };
  }

  const mean = rates.reduce((s, x) => s + x, 0) / n;
  const passAt1 = passAt1Interval(rates, { seed, resamples: resamples || 10_000, confidence });

  // pass@k' and pass^k' per case, then one shared bootstrap over cases for all of them.
  const ks = Array.from({ length: kTop }, (_, i) => i + 1);
  const atK = ks.map((k) => cases.map((c) => passAtK(c.k, c.passes, k)));
  const hatK = ks.map((k) => cases.map((c) => passHatK(c.k, c.passes, k)));
  const bounds = bootstrapped
    ? bootstrapMeans([...atK, ...hatK], seed, resamples, confidence)
    : [...atK, ...hatK].map((v) => {
        const t = tInterval(v, confidence);
        return { lower: Math.max(0, t.lower), upper: Math.min(1, t.upper) };
      });
  const estimates = (vectors: number[][], offset: number): RepeatEstimate[] =>
    vectors.map((v, i) => {
      const estimate = v.reduce((s, x) => s + x, 0) / n;
      if (allEqual(v)) {
        // No spread across cases: the bootstrap / t interval would be [x, x] from a handful of cases.
        const w = wilsonFromProportion(clip01(estimate), n, confidence);
        return { k: i + 1, estimate, lower: w.lower, upper: w.upper, method: 'wilson over cases' as const };
      }
      return {
        k: i + 1,
        estimate,
        lower: bounds[offset + i]?.lower ?? Number.NaN,
        upper: bounds[offset + i]?.upper ?? Number.NaN,
      };
    });

  const flaky = cases
    .filter((c) => c.passes > 0 && c.passes < c.k)
    .map((c) => ({ caseId: c.caseId, passes: c.passes, k: c.k }))
    .sort(
      (a, b) =>
        Math.abs(a.passes / a.k - 0.5) - Math.abs(b.passes / b.k - 0.5) || a.caseId.localeCompare(b.caseId),
    );

  const totalVar = n > 1 ? rates.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) : Number.NaN;
  const multi = cases.filter((c) => c.k >= 2);
  const within = multi.length
    ? multi.reduce((s, c) => {
        const p = c.passes / c.k;
        return s + (c.k / (c.k - 1)) * p * (1 - p);
      }, 0) / multi.length
    : Number.NaN;
  const meanInvK = cases.reduce((s, c) => s + 1 / c.k, 0) / n;
  const withinTerm = within * meanInvK;
  const between = Math.max(0, totalVar - withinTerm);
  // Var(p̂_i) = 0 with within-case noise: all of the (observed) variance is repeat noise.
  const withinShare =
    totalVar > 0
      ? Math.min(1, withinTerm / totalVar)
      : totalVar === 0
        ? withinTerm > 0
          ? 1
          : 0
        : Number.NaN;
  const trials = cases.reduce((s, c) => s + c.k, 0);
  const variance = {
    between,
    within,
    withinShare,
    advice: (withinShare > 0.5 ? 'more repeats' : 'more cases') as 'more cases' | 'more repeats',
    se: Math.sqrt(totalVar / n),
    naiveSe: Math.sqrt((mean * (1 - mean)) / trials),
  };

  if (kTop < kMax)
    warnings.push(
      `some cases have fewer scored repeats than others (${kMin} to ${kMax}); pass@k and pass^k go up to k = ${kMin}`,
    );
  if (kTop >= 3)
    warnings.push(
      `pass^k and pass@k for k > ${Math.floor(kTop / 2)} (more than half the ${kTop} repeats) are high-variance estimates; run at least 2k repeats for the k you report`,
    );

  return {
    cases: n,
    k: kMax,
    passAt1,
    passAtK: estimates(atK, 0),
    passHatK: estimates(hatK, atK.length),
    flaky,
    variance,
    intervalMethod: bootstrapped ? 'bootstrap over cases' : 'student-t over cases',
    seed,
    resamples,
    warnings,
  };
}

/**
 * pass@1 (the mean of per-case pass rates, one per case) with its interval, chosen as `repeatStats`
 * describes: Student-t over cases (n ≥ 30), bootstrap over cases (n < 30), Wilson over cases at 0 or 1
 * or when every case has the same rate (no spread across cases: never a zero-width interval).
 */
export function passAt1Interval(
  rates: readonly number[],
  opts: { seed?: number; resamples?: number; confidence?: number } = {},
): RepeatStats['passAt1'] {
  const seed = opts.seed ?? 0;
  const resamples = opts.resamples ?? 10_000;
  const confidence = opts.confidence ?? 0.95;
  const n = rates.length;
  if (n === 0)
    return { estimate: Number.NaN, lower: 0, upper: 1, method: 'wilson over cases', confidence, n };
  const mean = rates.reduce((s, x) => s + x, 0) / n;
  const clip = clip01;
  if (n < 2 || mean <= 0 || mean >= 1 || allEqual(rates)) {
    const w = wilsonFromProportion(clip(mean), n, confidence);
    return { estimate: mean, lower: w.lower, upper: w.upper, method: 'wilson over cases', confidence, n };
  }
  if (n >= 30) {
    const t = tInterval(rates, confidence);
    return {
      estimate: mean,
      lower: clip(t.lower),
      upper: clip(t.upper),
      method: 'student-t over cases',
      confidence,
      n,
    };
  }
  const b = bootstrapInterval(rates, { seed, resamples, confidence });
  return {
    estimate: mean,
    lower: clip(b.lower),
    upper: clip(b.upper),
    method: 'bootstrap over cases',
    confidence,
    n,
  };
}

function clip01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Whether every value is the same (no variation across cases). */
export function allEqual(xs: readonly number[]): boolean {
  for (const x of xs) if (x !== xs[0]) return false;
  return true;
}

/** Percentile bootstrap intervals of the means of several per-case vectors, resampling cases jointly. */
function bootstrapMeans(
  vectors: number[][],
  seed: number,
  resamples: number,
  confidence: number,
): { lower: number; upper: number }[] {
  const n = vectors[0]?.length ?? 0;
  if (n === 0) return [];
  const random = createRandom(seed);
  const stats = vectors.map(() => new Float64Array(resamples));
  const sums = new Float64Array(vectors.length);
  for (let b = 0; b < resamples; b++) {
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const j = Math.floor(random() * n);
      for (let v = 0; v < vectors.length; v++)
        sums[v] = (sums[v] as number) + ((vectors[v] as number[])[j] as number);
    }
    for (let v = 0; v < vectors.length; v++) (stats[v] as Float64Array)[b] = (sums[v] as number) / n;
  }
  const alpha = 1 - confidence;
  return stats.map((s) => {
    s.sort();
    return { lower: quantileSorted(s, alpha / 2), upper: quantileSorted(s, 1 - alpha / 2) };
  });
}
