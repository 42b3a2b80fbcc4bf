/**
 * Average ranks (1-based) of `xs`: tied values share the mean of the ranks they span
 * (scipy.stats.rankdata(method='average')).
 */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const ranks = new Array<number>(xs.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && xs[order[end + 1] as number] === xs[order[start] as number]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i] as number] = rank;
    start = end + 1;
  }
  return ranks;
}

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length)
    throw new RangeError(`x and y must have the same length: ${x.length} vs ${y.length}`);
  for (const v of [...x, ...y])
    if (!Number.isFinite(v)) throw new RangeError(`values must be finite, got ${v}`);
}

/**
 * Spearman's ρ: the Pearson correlation of the average ranks (scipy.stats.spearmanr). Measures
 * monotone association, not agreement: a judge always 2 points harsher has ρ = 1. NaN when n < 2 or
 * either variable is constant.
 */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  if (n < 2) return Number.NaN;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (rx[i] as number) - mean;
    const dy = (ry[i] as number) - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Kendall's τ-b with tie corrections: (n_c − n_d)/sqrt((n₀ − n₁)(n₀ − n₂)), n₀ = n(n − 1)/2, n₁ and n₂
 * the pairs tied in x and in y (scipy.stats.kendalltau, variant 'b'). O(n²), fine for labelled sets of
 * hundreds to a few thousand items. NaN when n < 2 or either variable is constant.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y);
  const n = x.length;
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign((x[i] as number) - (x[j] as number));
      const dy = Math.sign((y[i] as number) - (y[j] as number));
      if (dx === 0) tiedX++;
      if (dy === 0) tiedY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((n0 - tiedX) * (n0 - tiedY));
  if (n < 2 || denominator === 0) return Number.NaN;
  return (concordant - discordant) / denominator;
}
