import { createRandom } from './random.ts';

export interface BootstrapOptions {
  /** The statistic of one sample; default the mean (computed without allocating per resample). */
  statistic?: (xs: number[]) => number;
  /** Number of resamples B; default 10,000. */
  resamples?: number;
  /** Seed of the resampling generator; default 0. Printed and stored with every result. */
  seed?: number;
  /** Two-sided confidence level; default 0.95. */
  confidence?: number;
}

export interface BootstrapInterval {
  /** The statistic on the original sample (NaN when the sample is empty). */
  estimate: number;
  lower: number;
  upper: number;
  resamples: number;
  seed: number;
  confidence: number;
  method: 'percentile';
}

/**
 * Percentile bootstrap interval of a statistic (default the mean): draw `resamples` samples of the same
 * size with replacement using a generator seeded with `seed`, compute the statistic on each, and take the
 * (α/2, 1 − α/2) quantiles of those values with linear interpolation between order statistics (numpy's
 * default, which is what scipy.stats.bootstrap(method='percentile') uses).
 *
 * Known limits (stats-judges.md §4.4): it under-covers for n < ~20 and degenerates for proportions at 0 or
 * 1 (every resample is then the same) — use exact or score intervals there. An empty sample gives NaNs.
 */
export function bootstrapInterval(xs: readonly number[], opts: BootstrapOptions = {}): BootstrapInterval {
  const resamples = opts.resamples ?? 10_000;
  const seed = opts.seed ?? 0;
  const confidence = opts.confidence ?? 0.95;
  checkOptions(resamples, confidence);
  const n = xs.length;
  const base = { resamples, seed, confidence, method: 'percentile' as const };
  if (n === 0) return { estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, ...base };
  const random = createRandom(seed);
  const stats = new Float64Array(resamples);
  const statistic = opts.statistic;
  if (statistic) {
    const buffer = new Array<number>(n);
    for (let b = 0; b < resamples; b++) {
      for (let i = 0; i < n; i++) buffer[i] = xs[Math.floor(random() * n)] as number;
      stats[b] = statistic(buffer);
    }
  } else {
    for (let b = 0; b < resamples; b++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += xs[Math.floor(random() * n)] as number;
      stats[b] = sum / n;
    }
  }
  const estimate = statistic ? statistic([...xs]) : mean(xs);
  return { estimate, ...percentileInterval(stats, confidence), ...base };
}

/**
 * Paired bootstrap interval for the mean of per-case differences d_i = B_i − A_i: resampling the
 * differences resamples whole cases, so each pair stays together (stats-judges.md §4.4).
 */
export function pairedBootstrapInterval(
  diffs: readonly number[],
  opts: Omit<BootstrapOptions, 'statistic'> = {},
): BootstrapInterval {
  return bootstrapInterval(diffs, { ...opts, statistic: undefined });
}

/**
 * The percentile interval for explicitly given resamples: `indices[b]` lists the positions of `xs` drawn
 * for resample b. Used to check the interval arithmetic exactly against a reference that drew the same
 * indices; also usable with resamples drawn by another scheme (e.g. stratified).
 */
export function bootstrapFromIndices(
  xs: readonly number[],
  indices: readonly (readonly number[])[],
  opts: { statistic?: (xs: number[]) => number; confidence?: number } = {},
): { estimate: number; lower: number; upper: number; resamples: number; confidence: number } {
  const confidence = opts.confidence ?? 0.95;
  checkOptions(indices.length, confidence);
  const statistic = opts.statistic ?? mean;
  const stats = new Float64Array(indices.length);
  indices.forEach((idx, b) => {
    stats[b] = statistic(
      idx.map((i) => {
        const x = xs[i];
        if (x === undefined)
          throw new RangeError(`resample ${b} refers to index ${i}, outside 0..${xs.length - 1}`);
        return x;
      }),
    );
  });
  return {
    estimate: statistic([...xs]),
    ...percentileInterval(stats, confidence),
    resamples: indices.length,
    confidence,
  };
}

/** Sorts `stats` in place and returns its (α/2, 1 − α/2) quantiles. */
function percentileInterval(stats: Float64Array, confidence: number): { lower: number; upper: number } {
  stats.sort();
  const alpha = 1 - confidence;
  return { lower: quantileSorted(stats, alpha / 2), upper: quantileSorted(stats, 1 - alpha / 2) };
}

/**
 * The q-quantile of ascending `sorted` values with linear interpolation between the order statistics at
 * positions ⌊h⌋ and ⌈h⌉, h = (N − 1)·q (Hyndman–Fan type 7, numpy's and R's default).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

function mean(xs: readonly number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

function checkOptions(resamples: number, confidence: number): void {
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
}
