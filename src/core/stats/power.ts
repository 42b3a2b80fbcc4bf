import { normalQuantile } from './normal-quantile.ts';

/**
 * Power analysis by the normal approximation (Miller 2024 §"power analysis"; research notes §1.5 and
 * §4.8). With M = z_{1−α/2} + z_{power} (α two-sided; 1.959964 + 0.841621 = 2.801585 at the defaults
 * α = 0.05, power = 0.8) and V the variance of one case's contribution to the difference:
 *   MDE = M · √(V · DE / n)        n = ⌈M² · V · DE / δ²⌉
 * where DE is the design effect for clustered cases (1 when cases are independent). V per setting:
 *   proportions, unpaired (n per arm):     V = 2p(1 − p)          (both arms at the baseline rate p)
 *   proportions, paired:                   V = P(discordant)      (or 2p(1 − p)(1 − ρ) given a correlation ρ)
 *   means, unpaired (n per arm):           V = 2σ²
 *   means, paired (σ = SD of differences): V = σ²
 * The variance is the one under the null (no difference: both arms at p), which matches the tables of
 * the research notes. It is not conservative in general: under the alternative the unpaired variance is
 * p₁(1 − p₁) + p₂(1 − p₂), larger than 2p(1 − p) when p₂ is nearer ½ than p — a rise from p < ½, or a drop
 * from p > ½ (the usual regression) — so there this formula asks for slightly fewer cases than needed
 * (e.g. p = 0.8, δ = −0.1: 2·0.16 = 0.32 vs 0.16 + 0.21 = 0.37, about 14% fewer). Add a margin when the
 * plan is tight, or plan with the rate nearer ½.
 */
export interface PowerOptions {
  /** Two-sided significance level; default 0.05. */
  alpha?: number;
  /** Probability of detecting the effect; default 0.8. */
  power?: number;
  /** Variance inflation for clustered cases, see designEffect(); default 1. */
  designEffect?: number;
}

export interface PairedProportions {
  /** P(the two variants disagree on a case): (b + c)/n from a pilot. */
  discordance?: number;
  /** Case-level correlation ρ of the two variants' 0/1 outcomes; used when discordance is not given. */
  correlation?: number;
}

function multiplier(opts: PowerOptions): number {
  const alpha = opts.alpha ?? 0.05;
  const power = opts.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  return normalQuantile(1 - alpha / 2) + normalQuantile(power);
}

function inflation(opts: PowerOptions): number {
  const de = opts.designEffect ?? 1;
  if (!(de >= 1 && Number.isFinite(de))) throw new RangeError(`designEffect must be ≥ 1, got ${de}`);
  return de;
}

/** Round a required sample size up, ignoring floating-point dust (164.0000000001 stays 164). */
function roundUp(x: number): number {
  return Math.max(1, Math.ceil(x - 1e-9));
}

function checkPositive(name: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be positive, got ${value}`);
}

function proportionVariance(baseline: number, paired: PairedProportions | undefined): number {
  if (!(baseline >= 0 && baseline <= 1)) throw new RangeError(`baseline must be in [0, 1], got ${baseline}`);
  const bernoulli = baseline * (1 - baseline);
  if (!paired) return 2 * bernoulli;
  if (paired.discordance !== undefined) {
    if (!(paired.discordance >= 0 && paired.discordance <= 1)) {
      throw new RangeError(`discordance must be in [0, 1], got ${paired.discordance}`);
    }
    return paired.discordance;
  }
  const rho = paired.correlation ?? 0.5;
  if (!(rho >= -1 && rho <= 1)) throw new RangeError(`correlation must be in [−1, 1], got ${rho}`);
  return 2 * bernoulli * (1 - rho);
}

/**
 * Minimum detectable difference in pass rate (absolute, e.g. 0.1 = 10 points) with n cases — per arm when
 * unpaired, paired cases when `paired` is given (discordance, else correlation, default ρ = 0.5).
 */
export function mdeProportion(
  opts: { n: number; baseline: number; paired?: PairedProportions } & PowerOptions,
): number {
  checkPositive('n', opts.n);
  return (
    multiplier(opts) * Math.sqrt((proportionVariance(opts.baseline, opts.paired) * inflation(opts)) / opts.n)
  );
}

/** Cases needed (per arm when unpaired) to detect an absolute pass-rate difference `delta`. */
export function sampleSizeProportion(
  opts: { baseline: number; delta: number; paired?: PairedProportions } & PowerOptions,
): number {
  checkPositive('delta', opts.delta);
  const m = multiplier(opts);
  return roundUp(
    (m * m * proportionVariance(opts.baseline, opts.paired) * inflation(opts)) / opts.delta ** 2,
  );
}

/**
 * Minimum detectable difference in mean score with n cases. `sd` is the per-case SD of the score in each
 * arm (unpaired, n per arm) or the SD of the per-case differences when `paired` is true.
 */
export function mdeMean(opts: { n: number; sd: number; paired?: boolean } & PowerOptions): number {
  checkPositive('n', opts.n);
  if (!(opts.sd >= 0 && Number.isFinite(opts.sd))) throw new RangeError(`sd must be ≥ 0, got ${opts.sd}`);
  const variance = (opts.paired ? 1 : 2) * opts.sd ** 2;
  return multiplier(opts) * Math.sqrt((variance * inflation(opts)) / opts.n);
}

/** Cases needed to detect a mean difference `delta` (per arm unless `paired`; see mdeMean for `sd`). */
export function sampleSizeMean(opts: { sd: number; delta: number; paired?: boolean } & PowerOptions): number {
  checkPositive('delta', opts.delta);
  if (!(opts.sd >= 0 && Number.isFinite(opts.sd))) throw new RangeError(`sd must be ≥ 0, got ${opts.sd}`);
  const m = multiplier(opts);
  const variance = (opts.paired ? 1 : 2) * opts.sd ** 2;
  return roundUp((m * m * variance * inflation(opts)) / opts.delta ** 2);
}

/**
 * Design effect for clustered cases, DE = 1 + (m̄ − 1) · ICC (m̄ = mean cluster size, ICC = intra-cluster
 * correlation); the effective sample size is n / DE. ICC 0.2 with clusters of 10 → 2.8.
 */
export function designEffect(clusterSize: number, icc: number): number {
  if (!(clusterSize >= 1 && Number.isFinite(clusterSize))) {
    throw new RangeError(`clusterSize must be ≥ 1, got ${clusterSize}`);
  }
  if (!(icc >= -1 && icc <= 1)) throw new RangeError(`icc must be in [−1, 1], got ${icc}`);
  return 1 + (clusterSize - 1) * icc;
}

/**
 * Variance of one case's (mean) score or score difference with k repeats per case (Miller §1.3/§1.5):
 * between + within / k, where `between` is the variance across cases of the conditional means (ω²) and
 * `within` the mean within-case variance (σ², or σ_A² + σ_B² for a paired difference). Its square root is
 * the `sd` to pass to mdeMean/sampleSizeMean.
 */
export function varianceWithRepeats(opts: { between: number; within: number; repeats: number }): number {
  if (!(opts.between >= 0) || !(opts.within >= 0)) throw new RangeError('variances must be ≥ 0');
  if (!Number.isInteger(opts.repeats) || opts.repeats < 1) {
    throw new RangeError(`repeats must be a positive integer, got ${opts.repeats}`);
  }
  return opts.between + opts.within / opts.repeats;
}
