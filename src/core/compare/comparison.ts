/**
 * The result of pairing two runs (or two prompt × model groups) by case id: what `assay compare`
 * prints, what `--json` carries, and what the gate decides on. Differences are always candidate − baseline
 * (B − A): positive is better.
 */

import type { PassAt1Method } from '../stats/repeat-stats.ts';

export type CompareMetric = 'pass' | 'score';

export type Verdict = 'better' | 'worse' | 'no detectable difference' | 'equivalent';

/** One side of a comparison: a prompt version × model of a run. */
export interface ComparisonSide {
  runId: string;
  prompt: string;
  promptVersion: string;
  modelId: string;
  /** Per-case rate over the paired cases, `estimate [lower, upper]`. */
  passRate: {
    estimate: number;
    lower: number;
    upper: number;
    /**
     * `wilson`: one result per case. With repeats, pass@1 (the mean of per-case pass rates) with the
     * interval `assay eval` prints for the same run (`passAt1Interval`: Student-t or bootstrap over cases,
     * Wilson over cases at 0, 1 or without spread); `passed` is then the sum of per-case rates.
     */
    method: 'wilson' | PassAt1Method;
    passed: number;
    n: number;
  } | null;
  /** Mean score over the paired cases (per-case means of repeats), with a Student-t interval. Score metric only. */
  meanScore?: { estimate: number; lower: number; upper: number; sd: number; n: number; method: 't' };
}

/** A case whose pass status changed. `from`/`to` are per-case pass rates (0 or 1 without repeats). */
export interface Flip {
  caseId: string;
  kind: 'regression' | 'improvement';
  from: number;
  to: number;
  protected: boolean;
}

/** A case dropped from the pairing because it errored on every result of one side (or both). */
export interface ErroredCase {
  caseId: string;
  side: 'baseline' | 'candidate' | 'both';
  protected: boolean;
}

/** The difference B − A with its interval and the test behind the p-value. */
export interface Difference {
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  /** e.g. `Newcombe paired (method 10)` or `paired bootstrap percentile (10000 resamples, seed 0)`. */
  method: string;
}

export interface ScoreStats {
  meanDifference: number;
  /** Sample SD (n − 1) of the per-case differences; NaN with one pair. */
  sdDifference: number;
  bootstrap: { lower: number; upper: number; resamples: number; seed: number; method: 'percentile' };
  permutation: { p: number; exact: boolean; draws: number; seed: number };
  wins: number;
  ties: number;
  losses: number;
  /** Exact two-sided sign test on wins vs losses (ties dropped). */
  signTestP: number;
}

export interface Comparison {
  schemaVersion: 1;
  metric: CompareMetric;
  baseline: ComparisonSide;
  candidate: ComparisonSide;
  pairing: {
    /** Cases scored on both sides. */
    paired: number;
    onlyInBaseline: string[];
    onlyInCandidate: string[];
    /** Dropped: errored on one side or both (counted apart, never as failures). */
    errored: ErroredCase[];
    /** Cases scored on both sides where some (not all) repeats errored: their scored repeats are used. */
    partiallyErrored: number;
  };
  /**
   * The paired 2×2 table (pass metric, one result or all-agreeing repeats per case): a = both pass,
   * b = baseline only, c = candidate only, d = both fail. Null when per-case pass rates are fractional.
   */
  table: { bothPass: number; baselineOnly: number; candidateOnly: number; bothFail: number } | null;
  difference: Difference;
  /** Two-sided p-value of the test named in `test`. */
  p: number;
  /** `p` adjusted for the family (Holm); equal to `p` when one candidate is compared. */
  pAdjusted: number;
  /** Number of candidates compared against the same baseline (the Holm family). */
  family: number;
  /** e.g. `exact McNemar`, `sign-flip permutation (exact)`. */
  test: string;
  /** Regressions first, then improvements; protected cases first within each. */
  flips: Flip[];
  score?: ScoreStats;
  /**
   * When cases share a `cluster`: the cluster-robust (CR1, t(C−1)) interval of the mean per-case
   * difference. The verdict then needs this interval to exclude 0 as well (never narrower than the clusters
   * justify); it must also lie inside the margin for `equivalent`.
   */
  clustered?: {
    estimate: number;
    lower: number;
    upper: number;
    se: number;
    clusters: number;
    designEffect: number;
    effectiveN: number;
    method: string;
  };
  /** Correlation of per-case values between the sides (null when one side is constant). */
  correlation: number | null;
  verdict: Verdict;
  /** α of the verdict (two-sided); default 0.05. */
  alpha: number;
  /** Equivalence margin (same units as the difference), when given. */
  margin?: number;
  /**
   * Minimum detectable effect at this n (α, power 0.8), from the observed discordance (pass) or the
   * observed SD of differences (score); null when it cannot be estimated (n < 2).
   */
  mde: number | null;
  power: number;
  /** Seed of every resampling in this comparison. */
  seed: number;
  warnings: string[];
}

export interface CompareOptions {
  metric?: CompareMetric;
  /** Seed of the bootstrap and permutation draws; default 0. */
  seed?: number;
  /**
   * Seeds of each side's pass@1 bootstrap with repeats (the runs' own seeds, as `assay eval` uses them,
   * so both commands print the same interval for a run); default `seed`.
   */
  sideSeeds?: { baseline?: number; candidate?: number };
  /** Equivalence margin m: `equivalent` when the whole interval lies inside ±m. */
  margin?: number;
  /** Case ids the suite marks `protected: true` (results do not carry the flag). */
  protectedCaseIds?: Set<string>;
  /** Default 0.05 (two-sided); the intervals are at 1 − α. */
  alpha?: number;
  /** Bootstrap resamples (score metric / fractional pass rates); default 10,000. */
  resamples?: number;
  /** Suite hashes of the two runs, to warn when they differ (different test sets). */
  suiteHash?: { baseline?: string; candidate?: string };
}
