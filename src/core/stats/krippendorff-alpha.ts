export type AlphaLevel = 'nominal' | 'ordinal' | 'interval' | 'ratio';

export interface KrippendorffAlpha {
  /** α = 1 − D_o/D_e; NaN when fewer than two pairable values or no variation at all (D_e = 0). */
  alpha: number;
  /** Observed and expected disagreement. */
  observedDisagreement: number;
  expectedDisagreement: number;
  /** Number of pairable values n (values in units with at least two ratings). */
  pairable: number;
  /** Units with at least two ratings. */
  units: number;
  level: AlphaLevel;
}

/**
 * Krippendorff's α from the coincidence matrix (Krippendorff, "Computing Krippendorff's alpha-reliability",
 * 2011). `units[u]` holds the values the raters gave unit u; `null`/`undefined` is a missing rating, and
 * units with fewer than two ratings are not pairable and are ignored. Any number of raters.
 *
 * o_ck = Σ_u Σ_{i≠j} [v_ui = c, v_uj = k]/(m_u − 1); n_c = Σ_k o_ck; n = Σ_c n_c;
 * α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, with δ² nominal [c ≠ k], ordinal
 * (Σ_{g=c..k} n_g − (n_c + n_k)/2)², interval (c − k)², ratio ((c − k)/(c + k))².
 * Guidance: ≥ 0.80 reliable, ≥ 0.667 tentative.
 */
export function krippendorffAlpha(
  units: readonly (readonly (number | null | undefined)[])[],
  level: AlphaLevel = 'nominal',
): KrippendorffAlpha {
  const pairableUnits = units
    .map((u) => u.filter((v): v is number => v !== null && v !== undefined))
    .filter((u) => u.length >= 2);
  for (const u of pairableUnits) {
    for (const v of u) {
      if (!Number.isFinite(v)) throw new RangeError(`ratings must be finite numbers, got ${v}`);
      if (level === 'ratio' && v < 0) throw new RangeError(`ratio data must be non-negative, got ${v}`);
    }
  }
  const values = [...new Set(pairableUnits.flat())].sort((a, b) => a - b);
  const index = new Map(values.map((v, i) => [v, i]));
  const k = values.length;
  const o = values.map(() => new Array<number>(k).fill(0));
  for (const u of pairableUnits) {
    const m = u.length;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        if (i === j) continue;
        const c = index.get(u[i] as number) as number;
        const d = index.get(u[j] as number) as number;
        (o[c] as number[])[d] = (o[c]?.[d] as number) + 1 / (m - 1);
      }
    }
  }
  const nc = o.map((row) => row.reduce((s, x) => s + x, 0));
  const n = nc.reduce((s, x) => s + x, 0);
  // Cumulative marginals for the ordinal metric: cum[i] = Σ_{g ≤ i} n_g.
  const cum: number[] = [];
  nc.reduce((s, x, i) => {
    cum[i] = s + x;
    return cum[i] as number;
  }, 0);
  const delta2 = (c: number, d: number): number => {
    if (c === d) return 0;
    const vc = values[c] as number;
    const vd = values[d] as number;
    switch (level) {
      case 'nominal':
        return 1;
      case 'interval':
        return (vc - vd) ** 2;
      case 'ratio':
        return vc + vd === 0 ? 0 : ((vc - vd) / (vc + vd)) ** 2;
      case 'ordinal': {
        const lo = Math.min(c, d);
        const hi = Math.max(c, d);
        const between = (cum[hi] as number) - (lo > 0 ? (cum[lo - 1] as number) : 0);
        return (between - ((nc[c] as number) + (nc[d] as number)) / 2) ** 2;
      }
    }
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      const w = delta2(c, d);
      observed += (o[c]?.[d] as number) * w;
      expected += (nc[c] as number) * (nc[d] as number) * w;
    }
  }
  const base = { pairable: Math.round(n), units: pairableUnits.length, level };
  if (n < 2 || expected === 0) {
    return { alpha: Number.NaN, observedDisagreement: Number.NaN, expectedDisagreement: Number.NaN, ...base };
  }
  const observedDisagreement = observed / n;
  const expectedDisagreement = expected / (n * (n - 1));
  return {
    alpha: 1 - observedDisagreement / expectedDisagreement,
    observedDisagreement,
    expectedDisagreement,
    ...base,
  };
}
