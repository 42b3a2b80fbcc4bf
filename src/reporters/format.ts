import type { Interval } from '../core/stats/summarize-results.ts';

/** `87.5% [69.0, 95.7]`; `—` when there is nothing to estimate. */
export function formatInterval(i: Interval | null): string {
  if (!i) return '—';
  return `${pct(i.estimate)} [${(100 * i.lower).toFixed(1)}, ${(100 * i.upper).toFixed(1)}]`;
}

export function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** USD with enough digits to be meaningful for tiny per-call prices. */
export function formatCost(cost: number, unknown: boolean): string {
  if (unknown && cost === 0) return 'unknown';
  const s = cost === 0 ? '$0' : cost < 0.01 ? `$${cost.toPrecision(2)}` : `$${cost.toFixed(2)}`;
  return unknown ? `≥${s} (some unknown)` : s;
}

export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1000).toFixed(n < 1e4 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** Left-aligned text table with right-aligned numeric columns; plain text, no colour codes inside. */
export function table(header: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAlign[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * Strips terminal control characters and bidirectional overrides (which make text display in another
 * order than it is stored) from hostile text (model output, case ids) before printing it.
 */
export function safeText(s: string, max = 80): string {
  const clean = s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\n/g, ' ⏎ ');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
