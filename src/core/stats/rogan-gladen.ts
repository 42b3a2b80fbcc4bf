import { normalQuantile } from './normal-quantile.ts';

export interface RoganGladenInput {
  /** Outputs the judge passed, out of `n` judged in the eval. */
  judgePasses: number;
  n: number;
  /** The judge's sensitivity on the labelled set: human-passed outputs the judge also passed, of all human passes. */
  truePositives: number;
  humanPositives: number;
  /** The judge's specificity on the labelled set: human-failed outputs the judge also failed, of all human fails. */
  trueNegatives: number;
  humanNegatives: number;
}

export type RoganGladenResult =
  | {
      corrected: true;
      /** Corrected pass rate clipped to [0, 1]. */
      estimate: number;
      /** (p̂ + Sp − 1)/(Se + Sp − 1) before clipping. */
      unclipped: number;
      /** Delta-method standard error including the uncertainty of p̂, Se and Sp. */
      se: number;
      /** unclipped ± z·se, clipped to [0, 1]. */
      lower: number;
      upper: number;
      judgeRate: number;
      tpr: number;
      tnr: number;
      /** Youden's J = Se + Sp − 1. */
      youden: number;
      confidence: number;
    }
  | { corrected: false; youden: number; reason: string };

/** Below this Youden's J the judge is too weak to correct with (stats-judges.md §5.8). */
export const MIN_YOUDEN_FOR_CORRECTION = 0.5;

/**
 * The Rogan–Gladen corrected pass rate: π̂ = (p̂ + Sp − 1)/(Se + Sp − 1), clipped to [0, 1], where p̂ is the
 * judge's pass rate on the eval and Se = TPR, Sp = TNR are measured on a human-labelled set.
 *
 * Interval: the delta method over three independent binomial estimates (eval set, human passes, human
 * fails): Var(π̂) ≈ [p̂(1 − p̂)/n + π̂² Se(1 − Se)/n₊ + (1 − π̂)² Sp(1 − Sp)/n₋]/J², J = Se + Sp − 1;
 * the interval π̂ ± z·se is then clipped to [0, 1]. It is a large-sample interval: a TPR or TNR measured
 * as exactly 1 contributes no variance, so with small labelled sets read it as a lower bound on the
 * uncertainty. Refuses (corrected: false) when J < 0.5 — the correction would mostly amplify noise.
 */
export function roganGladen(input: RoganGladenInput, confidence = 0.95): RoganGladenResult {
  const { judgePasses, n, truePositives, humanPositives, trueNegatives, humanNegatives } = input;
  checkCount('judgePasses', judgePasses, n);
  checkCount('truePositives', truePositives, humanPositives);
  checkCount('trueNegatives', trueNegatives, humanNegatives);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (n === 0 || humanPositives === 0 || humanNegatives === 0) {
    return {
      corrected: false,
      youden: Number.NaN,
      reason: 'needs at least one judged output and at least one human-labelled pass and fail',
    };
  }
  const p = judgePasses / n;
  const tpr = truePositives / humanPositives;
  const tnr = trueNegatives / humanNegatives;
  const youden = tpr + tnr - 1;
  if (youden < MIN_YOUDEN_FOR_CORRECTION) {
    return {
      corrected: false,
      youden,
      reason: `TPR + TNR − 1 = ${youden.toFixed(3)} is below ${MIN_YOUDEN_FOR_CORRECTION}: the judge is too weak to correct for`,
    };
  }
  const unclipped = (p + tnr - 1) / youden;
  const variance =
    ((p * (1 - p)) / n +
      (unclipped ** 2 * tpr * (1 - tpr)) / humanPositives +
      ((1 - unclipped) ** 2 * tnr * (1 - tnr)) / humanNegatives) /
    youden ** 2;
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const clip = (x: number): number => Math.min(1, Math.max(0, x));
  return {
    corrected: true,
    estimate: clip(unclipped),
    unclipped,
    se,
    lower: clip(unclipped - z * se),
    upper: clip(unclipped + z * se),
    judgeRate: p,
    tpr,
    tnr,
    youden,
    confidence,
  };
}

function checkCount(name: string, k: number, n: number): void {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`the total for ${name} must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n)
    throw new RangeError(`${name} must be an integer in [0, ${n}], got ${k}`);
}
