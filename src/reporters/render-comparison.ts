import pc from 'picocolors';
import type { Comparison, ComparisonSide, Flip, Verdict } from '../core/compare/comparison.ts';
import { safeText } from './format.ts';

/** What the renderers need of a run family (the app's RunComparisonFamily fits). */
export interface ComparisonFamilyView {
  family: number;
  comparisons: Comparison[];
  warnings: string[];
  /** The LLM judges the runs' checks used, with their status (see the app's ComparedJudge). */
  judges?: JudgeView[];
}

export interface JudgeView {
  name: string;
  file?: string;
  status: string;
  reason: string;
  runs: { runId: string; versions: string[] }[];
  changed: boolean;
}

/**
 * One status line per judge, like the eval report's: `judge tone (judges/tone.judge.md): validated — …`,
 * with the judge versions each run used; `unknown (not in this project)` outside the project.
 */
export function renderJudgeLines(judges: readonly JudgeView[]): string[] {
  return judges.map((j) => {
    const where = j.file !== undefined ? ` (${safeText(j.file, 60)})` : '';
    const head =
      j.status === 'unknown'
        ? `judge ${safeText(j.name, 40)}: unknown (${safeText(j.reason, 100)})`
        : `judge ${safeText(j.name, 40)}${where}: ${j.status} — ${safeText(j.reason, 200)}`;
    const versions = j.runs
      .map(
        (r, i) =>
          `${i === 0 ? 'A' : j.runs.length > 2 ? `B${i}` : 'B'} ${r.versions.length ? r.versions.map((v) => safeText(v, 20)).join('+') : '—'}`,
      )
      .join(', ');
    const line = `  ${head} · versions ${versions}`;
    return j.status === 'validated' && !j.changed ? pc.dim(line) : pc.yellow(line);
  });
}

/** Case ids listed per kind of flip in the terminal before `… and N more` (--json has them all). */
const MAX_LISTED = 25;

/**
 * The terminal rendering of one comparison (stats-judges.md §8.2): pairing line, the 2×2 table, both
 * pass rates with Wilson intervals, the difference with its interval and method, the p-value and its
 * test, score statistics for `--metric score`, the verdict line, flipped cases (regressions first),
 * dropped cases and warnings. Computes nothing.
 */
export function renderComparison(c: Comparison): string {
  const out: string[] = [];
  const dropped = c.pairing.errored.length;
  out.push(
    `${pc.bold('B vs A')} · ${c.pairing.paired} paired case${c.pairing.paired === 1 ? '' : 's'} (${dropped} dropped for errors, ${c.pairing.onlyInBaseline.length + c.pairing.onlyInCandidate.length} unmatched)`,
  );
  out.push(`  A ${sideLabel(c.baseline)}`);
  out.push(`  B ${sideLabel(c.candidate)}`);
  if (c.table) {
    const t = c.table;
    const w = Math.max(
      6,
      ...[t.bothPass, t.baselineOnly, t.candidateOnly, t.bothFail].map((x) => String(x).length),
    );
    out.push(`               ${'B pass'.padStart(w)}  ${'B fail'.padStart(w)}`);
    out.push(`  A pass       ${String(t.bothPass).padStart(w)}  ${String(t.baselineOnly).padStart(w)}`);
    out.push(`  A fail       ${String(t.candidateOnly).padStart(w)}  ${String(t.bothFail).padStart(w)}`);
  }
  out.push(`  pass rate  A ${rate(c.baseline)}   B ${rate(c.candidate)}`);
  if (c.baseline.meanScore && c.candidate.meanScore)
    out.push(`  mean score A ${meanScore(c.baseline)}   B ${meanScore(c.candidate)}`);
  out.push(
    `  difference ${diff(c, c.difference.estimate)}  [${diff(c, c.difference.lower)}, ${diff(c, c.difference.upper)}] ${c.difference.method}   ${pValue(c)}`,
  );
  if (c.score) {
    const s = c.score;
    out.push(
      `  W/T/L      ${s.wins}/${s.ties}/${s.losses}   sign test p = ${formatP(s.signTestP)}   SD of differences ${Number.isNaN(s.sdDifference) ? '—' : s.sdDifference.toFixed(3)}`,
    );
  }
  if (c.clustered) {
    const k = c.clustered;
    out.push(
      `  clustered  [${diff(c, k.lower)}, ${diff(c, k.upper)}] ${k.method} · ${k.clusters} clusters, design effect ${k.designEffect.toFixed(2)}`,
    );
  }
  if (c.correlation !== null)
    out.push(pc.dim(`  correlation of A and B per case ${c.correlation.toFixed(2)}`));
  out.push(`  verdict    ${verdictText(c)}`);
  const regressions = c.flips.filter((f) => f.kind === 'regression');
  const improvements = c.flips.filter((f) => f.kind === 'improvement');
  if (regressions.length) out.push(`  ${pc.red('regressions')} (A pass → B fail): ${flipList(regressions)}`);
  if (improvements.length)
    out.push(`  ${pc.green('improvements')} (A fail → B pass): ${flipList(improvements)}`);
  if (c.pairing.errored.length) {
    const list = c.pairing.errored.map(
      (e) =>
        `${safeText(e.caseId, 40)}${e.protected ? ' (protected)' : ''} [${e.side === 'both' ? 'both' : e.side === 'baseline' ? 'A' : 'B'}]`,
    );
    out.push(`  errored (dropped): ${limit(list)}`);
  }
  if (c.pairing.onlyInBaseline.length)
    out.push(`  only in A: ${limit(c.pairing.onlyInBaseline.map((x) => safeText(x, 40)))}`);
  if (c.pairing.onlyInCandidate.length)
    out.push(`  only in B: ${limit(c.pairing.onlyInCandidate.map((x) => safeText(x, 40)))}`);
  for (const w of c.warnings) out.push(pc.yellow(`  warning: ${safeText(w, 300)}`));
  return out.join('\n');
}

/** Several candidates against one baseline: a summary table sorted by effect, then each comparison. */
export function renderComparisonFamily(f: ComparisonFamilyView): string {
  const judges = f.judges?.length ? ['', 'judges', ...renderJudgeLines(f.judges)] : [];
  if (f.comparisons.length === 1 && f.warnings.length === 0)
    return [renderComparison(f.comparisons[0] as Comparison), ...judges].join('\n');
  const out: string[] = [];
  out.push(
    `${pc.bold(`${f.comparisons.length} comparison${f.comparisons.length === 1 ? '' : 's'} against one baseline`)} · family of ${f.family}, p-values Holm-adjusted · sorted by effect`,
  );
  for (const c of f.comparisons)
    out.push(
      `  ${safeText(sideName(c.candidate), 60)}  ${diff(c, c.difference.estimate)} [${diff(c, c.difference.lower)}, ${diff(c, c.difference.upper)}]  p = ${formatP(c.p)}  p(Holm) = ${formatP(c.pAdjusted)}  ${verdictWord(c.verdict)}`,
    );
  for (const w of f.warnings) out.push(pc.yellow(`  warning: ${safeText(w, 300)}`));
  for (const c of f.comparisons) out.push('', renderComparison(c));
  out.push(...judges);
  return out.join('\n');
}

/**
 * Markdown for a pull-request comment or a step summary: the same facts as the terminal rendering.
 * Hostile text (case ids, model ids) is escaped so it cannot break out of the table or inject markup.
 */
export function renderComparisonMarkdown(c: Comparison): string {
  const out: string[] = [];
  out.push(
    `**B vs A** · ${c.pairing.paired} paired cases (${c.pairing.errored.length} dropped for errors, ${c.pairing.onlyInBaseline.length + c.pairing.onlyInCandidate.length} unmatched)`,
  );
  out.push('');
  out.push(`- A: ${md(sideLabel(c.baseline))}`);
  out.push(`- B: ${md(sideLabel(c.candidate))}`);
  out.push('');
  if (c.table) {
    out.push('| | B pass | B fail |', '| --- | ---: | ---: |');
    out.push(`| **A pass** | ${c.table.bothPass} | ${c.table.baselineOnly} |`);
    out.push(`| **A fail** | ${c.table.candidateOnly} | ${c.table.bothFail} |`);
    out.push('');
  }
  out.push('| | estimate [95% CI] | |', '| --- | --- | --- |');
  out.push(`| pass rate A | ${rate(c.baseline)} | ${c.baseline.passRate?.method ?? ''} |`);
  out.push(`| pass rate B | ${rate(c.candidate)} | ${c.candidate.passRate?.method ?? ''} |`);
  if (c.baseline.meanScore && c.candidate.meanScore) {
    out.push(`| mean score A | ${meanScore(c.baseline)} | t |`);
    out.push(`| mean score B | ${meanScore(c.candidate)} | t |`);
  }
  out.push(
    `| difference B − A | ${diff(c, c.difference.estimate)} [${diff(c, c.difference.lower)}, ${diff(c, c.difference.upper)}] | ${md(c.difference.method)} |`,
  );
  out.push(
    `| p | ${formatP(c.p)}${c.family > 1 ? ` (Holm ${formatP(c.pAdjusted)}, family of ${c.family})` : ''} | ${md(c.test)} |`,
  );
  if (c.score)
    out.push(
      `| W/T/L | ${c.score.wins}/${c.score.ties}/${c.score.losses} | sign test p = ${formatP(c.score.signTestP)} |`,
    );
  out.push('');
  out.push(`**Verdict:** ${md(verdictText(c))}`);
  const regressions = c.flips.filter((f) => f.kind === 'regression');
  const improvements = c.flips.filter((f) => f.kind === 'improvement');
  if (regressions.length)
    out.push('', `**Regressions** (A pass → B fail): ${regressions.map(mdFlip).join(', ')}`);
  if (improvements.length)
    out.push('', `**Improvements** (A fail → B pass): ${improvements.map(mdFlip).join(', ')}`);
  if (c.pairing.errored.length)
    out.push(
      '',
      `**Errored (dropped):** ${c.pairing.errored.map((e) => `\`${code(e.caseId)}\`${e.protected ? ' (protected)' : ''} [${e.side}]`).join(', ')}`,
    );
  if (c.warnings.length) out.push('', ...c.warnings.map((w) => `> ⚠️ ${md(w)}`));
  return out.join('\n');
}

export function verdictText(c: Comparison): string {
  const p = c.family > 1 ? `p(Holm) = ${formatP(c.pAdjusted)}` : `p = ${formatP(c.p)}`;
  switch (c.verdict) {
    case 'better':
    case 'worse':
      return `${c.verdict}: ${diff(c, c.difference.estimate)}, interval excludes 0, ${p}`;
    case 'equivalent':
      return `equivalent within ±${magnitude(c, c.margin ?? 0)}: the whole interval lies inside the margin`;
    default: {
      const mde =
        c.mde === null
          ? 'MDE unknown (no case changed)'
          : c.metric === 'pass' && c.mde >= 1
            ? `at n=${c.pairing.paired} no difference in pass rate is detectable (MDE > 100 pts; see \`assay plan\`)`
            : `MDE at n=${c.pairing.paired} ≈ ${magnitude(c, c.mde)} (${Math.round(100 * c.power)}% power)`;
      const clusterHolds = c.clustered && c.clustered.lower <= 0 && c.clustered.upper >= 0;
      const why = clusterHolds
        ? 'the cluster-robust interval includes 0'
        : `${c.family > 1 ? 'the Holm-adjusted p' : 'p'} ≥ ${c.alpha}`;
      const split =
        c.difference.lower > 0 || c.difference.upper < 0 ? ` (the interval excludes 0 but ${why})` : '';
      return `no detectable difference${split}; ${mde}`;
    }
  }
}

function verdictWord(v: Verdict): string {
  if (v === 'better') return pc.green(v);
  if (v === 'worse') return pc.red(v);
  return v;
}

function sideName(s: ComparisonSide): string {
  return `${s.prompt}@${s.promptVersion.slice(0, 8)} × ${s.modelId}`;
}

function sideLabel(s: ComparisonSide): string {
  return `${safeText(sideName(s), 100)} (run ${s.runId})`;
}

function rate(s: ComparisonSide): string {
  const r = s.passRate;
  if (!r) return '—';
  const count = r.method === 'wilson' ? `${r.passed}/${r.n}` : `${r.n} cases, pass@1`;
  return `${(100 * r.estimate).toFixed(1)}% [${(100 * r.lower).toFixed(1)}, ${(100 * r.upper).toFixed(1)}] ${count}`;
}

function meanScore(s: ComparisonSide): string {
  const m = s.meanScore;
  if (!m) return '—';
  return `${m.estimate.toFixed(3)} [${fixed(m.lower)}, ${fixed(m.upper)}]`;
}

function fixed(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : x > 0 ? '+∞' : x < 0 ? '−∞' : '—';
}

/** A signed difference: points for pass rates, score units for scores. */
function diff(c: Comparison, x: number): string {
  if (Number.isNaN(x)) return '—';
  if (c.metric === 'pass') {
    const v = 100 * x;
    return `${v >= 0 ? '+' : ''}${v.toFixed(1)} pts`;
  }
  return `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
}

function magnitude(c: Comparison, x: number): string {
  return c.metric === 'pass' ? `${(100 * x).toFixed(1)} pts` : x.toFixed(3);
}

function pValue(c: Comparison): string {
  const holm = c.family > 1 ? `, Holm-adjusted ${formatP(c.pAdjusted)} (family of ${c.family})` : '';
  return `${c.test} p = ${formatP(c.p)}${holm}`;
}

export function formatP(p: number): string {
  if (Number.isNaN(p)) return '—';
  if (p < 0.001) return '< 0.001';
  return p >= 0.1 ? p.toFixed(2) : p.toFixed(3);
}

function flipText(f: Flip): string {
  // With repeats a flip is a change of per-case pass rate: show it when it is not a plain 1 → 0 or 0 → 1.
  const plain = Math.abs(f.from - f.to) === 1;
  const rates = plain ? '' : ` (${f.from.toFixed(2)}→${f.to.toFixed(2)})`;
  return `${safeText(f.caseId, 40)}${f.protected ? ' (protected)' : ''}${rates}`;
}

function flipList(flips: Flip[]): string {
  return limit(flips.map(flipText));
}

function limit(items: string[]): string {
  if (items.length <= MAX_LISTED) return items.join(', ');
  return `${items.slice(0, MAX_LISTED).join(', ')} … and ${items.length - MAX_LISTED} more (--json lists all)`;
}

function mdFlip(f: Flip): string {
  return `\`${code(f.caseId)}\`${f.protected ? ' **(protected)**' : ''}`;
}

/** Text inside a Markdown code span: no backticks, no newlines. */
function code(s: string): string {
  return safeText(s, 80).replace(/`/g, 'ˋ');
}

/** Plain Markdown text: escape the characters that make markup, tables or HTML. */
function md(s: string): string {
  return safeText(s, 300).replace(/[\\`*_[\]<>|#!~]/g, (ch) => `\\${ch}`);
}
