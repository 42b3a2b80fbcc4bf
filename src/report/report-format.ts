/** Number formats shared by the HTML and Markdown reports. */

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

export function interval(i: { estimate: number; lower: number; upper: number } | null | undefined): string {
  if (!i) return '—';
  return `${pct(i.estimate)} [${pct(i.lower)}, ${pct(i.upper)}]`;
}

/** Differences in percentage points, signed. */
export function pts(x: number): string {
  const v = 100 * x;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} pts`;
}

export function usd(x: number, unknown = false): string {
  const s = x === 0 ? '$0' : x < 0.01 ? `$${x.toPrecision(2)}` : `$${x.toFixed(2)}`;
  return unknown ? `${s} + unknown` : s;
}

export function ms(x: number | undefined): string {
  if (x === undefined) return '—';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function shortVersion(v: string): string {
  return v.slice(0, 8);
}
