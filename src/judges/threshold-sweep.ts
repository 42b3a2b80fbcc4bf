import { cohenKappa } from '../core/stats/cohen-kappa.ts';
import { type WilsonInterval, wilsonInterval } from '../core/stats/wilson.ts';

/** One candidate cutoff: the judge passes an item when its score ≥ cutoff. */
export interface ThresholdRow {
  cutoff: number;
  /** Judge × human counts at this cutoff. */
  confusion: {
    judgePassHumanPass: number;
    judgePassHumanFail: number;
    judgeFailHumanPass: number;
    judgeFailHumanFail: number;
  };
  tpr: WilsonInterval;
  tnr: WilsonInterval;
  /** Cohen's κ of the judge's pass/fail with the humans'; NaN when undefined (e.g. n = 0). */
  kappa: number;
  agreement: number;
  /** Youden's J = TPR + TNR − 1; NaN unless the humans passed and failed at least one item each. */
  youdenJ: number;
  /** The cutoff the judge file configures (its passThreshold). */
  configured: boolean;
  /** The cutoff with the highest J (at most one row). */
  best: boolean;
}

export interface ThresholdSweep {
  /** The human reference: an item passes when the humans' score ≥ this (the judge's passThreshold). */
  passThreshold: number;
  n: number;
  humanPasses: number;
  humanFails: number;
  rows: ThresholdRow[];
  /** The cutoff with the highest J; undefined when J is undefined (one human class is empty). */
  best?: number;
}

export interface ThresholdSweepOptions {
  /** The judge's configured passThreshold; also the human pass/fail reference. */
  passThreshold: number;
  /** Candidate judge cutoffs; default 2..5 (cutoff 1 passes everything). passThreshold is always added. */
  cutoffs?: readonly number[];
  confidence?: number;
}

// J values that differ by rounding only are ties (e.g. 3/4 + 1/2 vs 1/4 + 1).
const TIE = 1e-12;

/**
 * Sweeps the pass cutoff of a numeric (1–5) judge against the human pass/fail reference
 * (stats-judges.md §5.8 step 3): for each cutoff t the judge passes scores ≥ t, and TPR, TNR (Wilson
 * intervals), Cohen's κ, agreement and Youden's J are computed. The best cutoff has the highest J; ties go
 * to the configured passThreshold, else to the lower cutoff. The pick is fitted to these annotations, so
 * it should be confirmed on others. Pure.
 */
export function thresholdSweep(
  judge: readonly number[],
  human: readonly number[],
  options: ThresholdSweepOptions,
): ThresholdSweep {
  if (judge.length !== human.length) {
    throw new RangeError(`judge and human scores must pair up: ${judge.length} vs ${human.length}`);
  }
  const { passThreshold } = options;
  const confidence = options.confidence ?? 0.95;
  const cutoffs = [...new Set([...(options.cutoffs ?? [2, 3, 4, 5]), passThreshold])].sort((a, b) => a - b);
  const humanPass = human.map((h) => h >= passThreshold);
  const n = judge.length;
  const humanPasses = humanPass.filter(Boolean).length;
  const humanFails = n - humanPasses;

  const rows = cutoffs.map((cutoff): ThresholdRow => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    judge.forEach((score, i) => {
      const j = score >= cutoff;
      if (humanPass[i]) j ? tp++ : fn++;
      else j ? fp++ : tn++;
    });
    const tpr = wilsonInterval(tp, tp + fn, confidence);
    const tnr = wilsonInterval(tn, tn + fp, confidence);
    return {
      cutoff,
      confusion: {
        judgePassHumanPass: tp,
        judgePassHumanFail: fp,
        judgeFailHumanPass: fn,
        judgeFailHumanFail: tn,
      },
      tpr,
      tnr,
      kappa:
        n === 0
          ? Number.NaN
          : cohenKappa(
              [
                [tp, fp],
                [fn, tn],
              ],
              confidence,
            ).kappa,
      agreement: n === 0 ? Number.NaN : (tp + tn) / n,
      youdenJ: tpr.estimate + tnr.estimate - 1,
      configured: cutoff === passThreshold,
      best: false,
    };
  });

  let best: ThresholdRow | undefined;
  for (const row of rows) {
    if (Number.isNaN(row.youdenJ)) continue;
    // Rows are ascending, so on a tie the earlier (lower) row stays unless the new one is the configured one.
    if (!best || row.youdenJ > best.youdenJ + TIE || (row.configured && row.youdenJ >= best.youdenJ - TIE)) {
      best = row;
    }
  }
  if (best) best.best = true;
  return { passThreshold, n, humanPasses, humanFails, rows, ...(best ? { best: best.cutoff } : {}) };
}
