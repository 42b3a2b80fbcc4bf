function checkPs(ps: readonly number[]): void {
  for (const p of ps) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`p-values must be in [0, 1], got ${p}`);
  }
}

/** Indices of ps sorted by ascending p (stable, so ties keep input order). */
function ascendingOrder(ps: readonly number[]): number[] {
  return ps.map((_, i) => i).sort((i, j) => (ps[i] as number) - (ps[j] as number) || i - j);
}

/**
 * Holm–Bonferroni step-down adjusted p-values, in input order: with p_(1) ≤ … ≤ p_(m),
 * p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j)). Controls the family-wise error rate under any
 * dependence; reject where p̃ ≤ α. Same as statsmodels multipletests(method='holm').
 */
export function holm(ps: readonly number[]): number[] {
  checkPs(ps);
  const m = ps.length;
  const adjusted = new Array<number>(m);
  let running = 0;
  ascendingOrder(ps).forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (ps[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg step-up adjusted p-values (q-values), in input order: with p_(1) ≤ … ≤ p_(m),
 * p̃_(i) = min_{j ≥ i} min(1, m · p_(j) / j). Controls the false-discovery rate under independence or
 * positive dependence. Same as statsmodels multipletests(method='fdr_bh').
 */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  checkPs(ps);
  const m = ps.length;
  const adjusted = new Array<number>(m);
  const order = ascendingOrder(ps);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    running = Math.min(running, (m * (ps[index] as number)) / (rank + 1));
    adjusted[index] = running;
  }
  return adjusted;
}
