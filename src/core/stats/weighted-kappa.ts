import { type KappaResult, kappaWithWeights } from './cohen-kappa.ts';

export type KappaWeighting = 'linear' | 'quadratic';

/**
 * Weighted κ for two raters on ordinal categories: κ_w = 1 − Σ w_ij o_ij / Σ w_ij e_ij with
 * w_ij = |v_i − v_j| / (v_max − v_min) (linear) or its square (quadratic), where `values` are the numeric
 * values of the table's categories in order (default 0, 1, …, k − 1), as statsmodels'
 * cohens_kappa(table, weights=values, wt='linear' | 'quadratic'). Quadratic κ_w is close to an ICC and is
 * the headline for 1–5 scales; it depends on the number of categories. Standard error: Fleiss, Cohen &
 * Everitt (1969), as in statsmodels.
 */
export function weightedKappa(
  table: readonly (readonly number[])[],
  weighting: KappaWeighting = 'quadratic',
  values?: readonly number[],
  confidence = 0.95,
): KappaResult {
  const k = table.length;
  const v = values ?? Array.from({ length: k }, (_, i) => i);
  if (v.length !== k)
    throw new RangeError(`values must give one number per category (${k}), got ${v.length}`);
  const range = (v[k - 1] as number) - (v[0] as number);
  const weights = v.map((vi) =>
    v.map((vj) => {
      if (k === 1 || range === 0) return 0;
      const d = Math.abs(vi - vj) / Math.abs(range);
      return weighting === 'linear' ? d : d * d;
    }),
  );
  return kappaWithWeights(table, weights, confidence);
}
