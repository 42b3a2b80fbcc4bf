import type { Interval } from './api-types.ts';

/** 0.8234 → "82.3%". */
export function pct(x: number | null | undefined, digits = 1): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—';
}

/** "82.3% [74.1, 88.4]" (percent; the interval in points). */
export function interval(i: Interval | null | undefined): string {
  if (!i) return '—';
  return `${pct(i.estimate)} [${(i.lower * 100).toFixed(1)}, ${(i.upper * 100).toFixed(1)}]`;
}

/** A signed difference in percentage points: "+4.2 pts [−1.0, 9.3]". */
export function points(i: Interval): string {
  const f = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;
  return `${f(i.estimate)} pts [${f(i.lower)}, ${f(i.upper)}]`;
}

export function num(x: number | null | undefined, digits = 3): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '—';
}

export function pValue(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

export function usd(x: number | null | undefined): string {
  if (x === null || x === undefined) return 'unknown';
  return x === 0 ? '$0' : x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`;
}

export function when(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').slice(0, 19);
}

export const shortVersion = (v: string) => v.slice(0, 12);
