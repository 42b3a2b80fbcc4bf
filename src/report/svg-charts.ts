import { escapeHtml } from './escape-html.ts';

/**
 * Charts as inline SVG strings, drawn at build time: the report needs no script and no chart library to
 * show them. Every label is escaped; numbers are formatted here. Each function returns '' when it has
 * nothing to draw, so the caller can say so in words.
 */

export interface IntervalRow {
  label: string;
  estimate: number;
  lower: number;
  upper: number;
  /** Short text right of the row (e.g. `n=40`, a verdict). */
  note?: string;
  /** Colour class: `good`, `bad` or neutral. */
  tone?: 'good' | 'bad';
}

const LABEL_W = 300;
const PLOT_W = 380;
const NOTE_W = 190;
const ROW_H = 22;
const TOP = 26;
const BOTTOM = 30;

/**
 * Horizontal interval bars, one row each: the estimate as a dot, the interval as a line. `domain` is the
 * axis range; `zero` draws a reference line at 0 (forest plots of differences).
 */
export function intervalChart(
  rows: IntervalRow[],
  opts: { title: string; domain: [number, number]; zero?: boolean; format: (x: number) => string },
): string {
  if (rows.length === 0) return '';
  const [d0, d1] = opts.domain[1] > opts.domain[0] ? opts.domain : [opts.domain[0] - 1, opts.domain[0] + 1];
  const x = (v: number) => LABEL_W + ((Math.min(d1, Math.max(d0, v)) - d0) / (d1 - d0)) * PLOT_W;
  const height = TOP + rows.length * ROW_H + BOTTOM;
  const width = LABEL_W + PLOT_W + NOTE_W;
  const out: string[] = [svgOpen(width, height, opts.title)];
  out.push(`<text class="t" x="4" y="16">${escapeHtml(opts.title)}</text>`);
  const ticks = niceTicks(d0, d1);
  for (const t of ticks)
    out.push(
      `<line class="grid" x1="${f(x(t))}" x2="${f(x(t))}" y1="${TOP - 4}" y2="${height - BOTTOM + 4}"/>`,
      `<text class="tick" x="${f(x(t))}" y="${height - BOTTOM + 18}" text-anchor="middle">${escapeHtml(opts.format(t))}</text>`,
    );
  if (opts.zero && d0 < 0 && d1 > 0)
    out.push(
      `<line class="zero" x1="${f(x(0))}" x2="${f(x(0))}" y1="${TOP - 6}" y2="${height - BOTTOM + 6}"/>`,
    );
  rows.forEach((r, i) => {
    const y = TOP + i * ROW_H + ROW_H / 2;
    const tone = r.tone ? ` ${r.tone}` : '';
    out.push(
      `<g class="row${tone}"><title>${escapeHtml(`${r.label}: ${opts.format(r.estimate)} [${opts.format(r.lower)}, ${opts.format(r.upper)}]`)}</title>`,
      `<text class="lbl" x="${LABEL_W - 8}" y="${f(y + 4)}" text-anchor="end">${escapeHtml(clip(r.label, 44))}</text>`,
      `<line class="ci" x1="${f(x(r.lower))}" x2="${f(x(r.upper))}" y1="${f(y)}" y2="${f(y)}"/>`,
      `<line class="cap" x1="${f(x(r.lower))}" x2="${f(x(r.lower))}" y1="${f(y - 5)}" y2="${f(y + 5)}"/>`,
      `<line class="cap" x1="${f(x(r.upper))}" x2="${f(x(r.upper))}" y1="${f(y - 5)}" y2="${f(y + 5)}"/>`,
      `<circle class="pt" cx="${f(x(r.estimate))}" cy="${f(y)}" r="4"/>`,
      `<text class="note" x="${LABEL_W + PLOT_W + 10}" y="${f(y + 4)}">${escapeHtml(clip(r.note ?? '', 30))}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

export interface Bar {
  label: string;
  value: number;
}

/** Vertical bars with their counts on top (the flakiness histogram). */
export function barChart(bars: Bar[], opts: { title: string; yLabel: string }): string {
  if (bars.length === 0 || bars.every((b) => b.value === 0)) return '';
  const width = 640;
  const height = 240;
  const left = 50;
  const top = 30;
  const bottom = 40;
  const plotH = height - top - bottom;
  const slot = (width - left - 10) / bars.length;
  const max = Math.max(...bars.map((b) => b.value));
  const out: string[] = [svgOpen(width, height, opts.title)];
  out.push(`<text class="t" x="4" y="16">${escapeHtml(opts.title)}</text>`);
  out.push(
    `<text class="tick" x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">${escapeHtml(opts.yLabel)}</text>`,
  );
  out.push(`<line class="axis" x1="${left}" x2="${width - 10}" y1="${top + plotH}" y2="${top + plotH}"/>`);
  bars.forEach((b, i) => {
    const h = max === 0 ? 0 : (b.value / max) * plotH;
    const x0 = left + i * slot + slot * 0.15;
    out.push(
      `<g><title>${escapeHtml(`${b.label}: ${b.value}`)}</title>`,
      `<rect class="bar" x="${f(x0)}" y="${f(top + plotH - h)}" width="${f(slot * 0.7)}" height="${f(h)}"/>`,
      `<text class="tick" x="${f(x0 + slot * 0.35)}" y="${f(top + plotH - h - 4)}" text-anchor="middle">${b.value}</text>`,
      `<text class="tick" x="${f(x0 + slot * 0.35)}" y="${top + plotH + 16}" text-anchor="middle">${escapeHtml(clip(b.label, 14))}</text></g>`,
    );
  });
  out.push('</svg>');
  return out.join('');
}

export interface ScatterPoint {
  label: string;
  x: number;
  y: number;
  lower: number;
  upper: number;
}

/** One dot per point with a vertical interval bar (cost versus pass rate). y is a rate in [0, 1]. */
export function scatterChart(
  points: ScatterPoint[],
  opts: { title: string; xLabel: string; formatX: (x: number) => string },
): string {
  if (points.length === 0) return '';
  const width = 640;
  const height = 320;
  const left = 60;
  const right = 20;
  const top = 30;
  const bottom = 50;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const xMax = Math.max(...points.map((p) => p.x));
  const x1 = xMax > 0 ? xMax * 1.1 : 1;
  const sx = (v: number) => left + (Math.max(0, v) / x1) * plotW;
  const sy = (v: number) => top + (1 - Math.min(1, Math.max(0, v))) * plotH;
  const out: string[] = [svgOpen(width, height, opts.title)];
  out.push(`<text class="t" x="4" y="16">${escapeHtml(opts.title)}</text>`);
  for (const t of [0, 0.25, 0.5, 0.75, 1])
    out.push(
      `<line class="grid" x1="${left}" x2="${width - right}" y1="${f(sy(t))}" y2="${f(sy(t))}"/>`,
      `<text class="tick" x="${left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${Math.round(t * 100)}%</text>`,
    );
  for (const t of niceTicks(0, x1))
    out.push(
      `<text class="tick" x="${f(sx(t))}" y="${top + plotH + 16}" text-anchor="middle">${escapeHtml(opts.formatX(t))}</text>`,
    );
  out.push(
    `<text class="tick" x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(opts.xLabel)}</text>`,
    `<text class="tick" x="14" y="${top + plotH / 2}" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">pass rate</text>`,
  );
  for (const p of points)
    out.push(
      `<g class="row"><title>${escapeHtml(`${p.label}: ${opts.formatX(p.x)}, pass rate ${pct(p.y)} [${pct(p.lower)}, ${pct(p.upper)}]`)}</title>`,
      `<line class="ci" x1="${f(sx(p.x))}" x2="${f(sx(p.x))}" y1="${f(sy(p.lower))}" y2="${f(sy(p.upper))}"/>`,
      `<circle class="pt" cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="5"/>`,
      // Labels of points in the right half go to their left, so they stay inside the chart.
      sx(p.x) > left + plotW / 2
        ? `<text class="note" x="${f(sx(p.x) - 8)}" y="${f(sy(p.y) - 6)}" text-anchor="end">${escapeHtml(clip(p.label, 36))}</text></g>`
        : `<text class="note" x="${f(sx(p.x) + 8)}" y="${f(sy(p.y) - 6)}">${escapeHtml(clip(p.label, 36))}</text></g>`,
    );
  out.push('</svg>');
  return out.join('');
}

function svgOpen(width: number, height: number, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">`;
}

/** About five round tick values covering [a, b]. */
export function niceTicks(a: number, b: number): number[] {
  const span = b - a;
  if (!(span > 0) || !Number.isFinite(span)) return [a];
  const raw = span / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  // Multiples of the step, rounded, so 0.6 is not drawn as 0.6000000000000001.
  for (let k = Math.ceil(a / step - 1e-9); k * step <= b + step * 1e-9; k++)
    out.push(Number((k * step).toPrecision(12)) || 0);
  return out;
}

function f(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n * 10) / 10) : '0';
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
