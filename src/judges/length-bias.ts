import { spearmanRho } from '../core/stats/rank-correlation.ts';

/** The probe warns when |ρ_judge| reaches this… */
export const LENGTH_BIAS_MIN_RHO = 0.3;
/** …and the judge's ρ lies at least this much further in its direction than the humans'. */
export const LENGTH_BIAS_MIN_GAP = 0.2;
const EPSILON = 1e-12;

export interface LengthBias {
  n: number;
  /** Spearman ρ of the judge's verdict (score, or pass = 1 / fail = 0) with the output length. */
  judge: number;
  /** The same for the human reference verdict: what the annotators' own length preference looks like. */
  human: number;
  /** Spearman ρ of (judge − human) with the length: does the judge's disagreement grow with length? */
  residual: number;
  /** Set when the judge rewards (ρ > 0) or penalises (ρ < 0) length more than the annotators do. */
  bias?: 'rewards' | 'penalises';
}

/**
 * Length-bias probe (stats-judges.md §5.8 step 5): rank correlations of the judge's and the humans'
 * verdicts with output length over the same items. Flags the judge when |ρ_judge| ≥ 0.3 and ρ_judge lies
 * ≥ 0.2 beyond ρ_human in ρ_judge's own direction — a judge that tracks length *less* than its annotators
 * is not length-biased. When the human verdicts do not vary (ρ_human undefined) their preference counts
 * as 0. ρ is NaN (never flagged) when n < 2 or the judge's verdicts or the lengths do not vary. Pure.
 */
export function lengthBias(
  judge: readonly number[],
  human: readonly number[],
  lengths: readonly number[],
): LengthBias {
  if (judge.length !== human.length || judge.length !== lengths.length) {
    throw new RangeError(
      `judge, human and lengths must pair up: ${judge.length}, ${human.length}, ${lengths.length}`,
    );
  }
  const rJudge = spearmanRho(judge, lengths);
  const rHuman = spearmanRho(human, lengths);
  const residual = spearmanRho(
    judge.map((j, i) => j - (human[i] as number)),
    lengths,
  );
  const result: LengthBias = { n: judge.length, judge: rJudge, human: rHuman, residual };
  const baseline = Number.isNaN(rHuman) ? 0 : rHuman;
  // The tolerance keeps values on a boundary (ρ 0.5 vs 0.3) from missing it by a rounding error.
  if (
    Math.abs(rJudge) >= LENGTH_BIAS_MIN_RHO - EPSILON &&
    Math.sign(rJudge) * (rJudge - baseline) >= LENGTH_BIAS_MIN_GAP - EPSILON
  ) {
    result.bias = rJudge > 0 ? 'rewards' : 'penalises';
  }
  return result;
}

/** The report warning for a flagged probe, or undefined. */
export function lengthBiasWarning(b: LengthBias): string | undefined {
  if (!b.bias) return undefined;
  const human = Number.isNaN(b.human)
    ? 'none for the humans, whose verdicts do not vary'
    : `${b.human.toFixed(2)} for the humans`;
  return `length bias: the judge ${b.bias} length more than the annotators do (Spearman ρ with output length ${b.judge.toFixed(2)} for the judge, ${human}; n = ${b.n})`;
}
