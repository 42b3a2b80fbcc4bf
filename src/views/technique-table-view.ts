import type { TechniqueRow, TechniqueTable } from '../core/compare/technique-table.ts';

/**
 * A technique table as text cells, shared by the terminal, HTML and Markdown renderers (each escapes the
 * cells for its medium). Formats only; every number comes from `techniqueTables`.
 */
export interface TechniqueTableView {
  title: string;
  header: string[];
  rows: string[][];
  /** Which columns hold numbers (right-aligned). */
  numeric: boolean[];
  /** How the Δ and p columns were computed, and the table's warnings. */
  notes: string[];
}

export const TECHNIQUE_HEADER = [
  'technique',
  'prompt@version',
  'pass rate [95% CI]',
  'pass/n',
  'errors',
  'Δ vs zero-shot [95% CI]',
  'p (Holm)',
  'verdict',
  'cost/case',
  'latency p50',
  'tokens/case in/out',
];

export function techniqueTableView(t: TechniqueTable): TechniqueTableView {
  const rows = t.rows.map((r) => [
    r.technique,
    `${r.prompt}@${r.promptVersion}`,
    r.passRate ? `${pct(r.passRate.estimate)} [${num(r.passRate.lower)}, ${num(r.passRate.upper)}]` : '—',
    `${r.passed}/${r.scored}`,
    String(r.errors),
    r.baseline ? 'baseline' : r.vsBaseline ? delta(r.vsBaseline.difference) : '—',
    r.vsBaseline ? `${p(r.vsBaseline.p)} (${p(r.vsBaseline.pAdjusted)})` : '—',
    r.vsBaseline ? r.vsBaseline.verdict : '—',
    cost(r),
    r.latencyP50 === null ? '—' : ms(r.latencyP50),
    r.tokensPerCase ? `${Math.round(r.tokensPerCase.input)}/${Math.round(r.tokensPerCase.output)}` : '—',
  ]);
  const compared = t.rows.flatMap((r) => (r.vsBaseline ? [r.vsBaseline] : []));
  const methods = [...new Set(compared.map((c) => `${c.difference.method}; p: ${c.test}`))];
  const notes = [
    ...(compared.length > 0
      ? [
          `Δ = technique − ${t.baseline} in pass rate, paired by case (${methods.join(' / ')}); p in parentheses Holm-adjusted over ${t.family} comparison${t.family === 1 ? '' : 's'}; verdicts at α = ${t.alpha} on the adjusted p`,
        ]
      : []),
    ...t.warnings,
  ];
  return {
    title: `techniques · ${t.prompt} × ${t.modelId}`,
    header: TECHNIQUE_HEADER,
    rows,
    numeric: [false, false, false, true, true, false, true, false, true, true, true],
    notes,
  };
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '—';
}

function num(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(1) : '—';
}

function signed(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const v = 100 * x;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)}`;
}

function delta(d: { estimate: number; lower: number; upper: number }): string {
  return `${signed(d.estimate)} pts [${signed(d.lower)}, ${signed(d.upper)}]`;
}

function p(x: number): string {
  if (!Number.isFinite(x)) return '—';
  return x < 0.001 ? '<0.001' : x.toFixed(3);
}

function ms(x: number): string {
  return x < 1000 ? `${Math.round(x)}ms` : `${(x / 1000).toFixed(1)}s`;
}

function cost(r: TechniqueRow): string {
  if (r.costPerCase === null) return '—';
  if (r.costUnknown && r.costPerCase === 0) return 'unknown';
  const c = r.costPerCase;
  const s = c === 0 ? '$0' : c < 0.01 ? `$${c.toPrecision(2)}` : `$${c.toFixed(4)}`;
  return r.costUnknown ? `≥${s}` : s;
}
