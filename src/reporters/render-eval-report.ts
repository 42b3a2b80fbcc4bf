import pc from 'picocolors';
import type { GroupSummary } from '../core/stats/summarize-results.ts';
import type { EvalReport } from './eval-report.ts';
import { formatCost, formatCount, formatInterval, formatMs, pct, safeText, table } from './format.ts';
import { renderConsistency, renderStructured } from './render-output-stats.ts';
import { renderTechniqueTable } from './render-technique-table.ts';

const METHOD_NAMES: Record<string, string> = { wilson: 'Wilson' };

/** `75.7% [67.4, 83.9]`; infinite or missing bounds print as `—`. */
function ci(x: { estimate: number; lower: number; upper: number }): string {
  const b = (v: number) => (Number.isFinite(v) ? (100 * v).toFixed(1) : '—');
  return `${Number.isFinite(x.estimate) ? pct(x.estimate) : '—'} [${b(x.lower)}, ${b(x.upper)}]`;
}

/** pass^k' values worth a headline: every k' ≥ 2 up to 5 repeats, else 2, the middle and the top. */
function headlineKs(top: number): number[] {
  if (top <= 5) return Array.from({ length: Math.max(0, top - 1) }, (_, i) => i + 2);
  return [...new Set([2, Math.ceil(top / 2), top])];
}

/** The repeats section of one group (stats-judges.md §8.3): pass@1, pass@k, pass^k, flaky cases, variance. */
function renderRepeats(g: GroupSummary): string[] {
  const r = g.repeats;
  if (!r || !g.passRate) return [];
  const out: string[] = [];
  const top = r.passAtK.length;
  out.push(pc.dim(`repeats · ${safeText(g.prompt, 30)}@${g.promptVersion} × ${safeText(g.modelId, 40)}`));
  out.push(`  pass@1    ${ci(g.passRate)} ${g.passRate.method} (${r.cases} cases × ${r.k})`);
  const at = r.passAtK[top - 1];
  const hats = headlineKs(top)
    .map((k) => r.passHatK[k - 1])
    .filter((e) => e !== undefined)
    .map((e) => `pass^${e.k} ${ci(e)}${e.method ? ' Wilson' : ''}`);
  if (at && top > 1)
    out.push(
      `  pass@${top}    ${ci(at)}${at.method ? ' Wilson' : ''}   ${hats.join('   ')}   (${r.intervalMethod}${r.resamples ? `, ${r.resamples} resamples, seed ${r.seed}` : ''})`,
    );
  const shown = r.flaky.slice(0, 10).map((c) => `${safeText(c.caseId, 40)} ${c.passes}/${c.k}`);
  out.push(
    `  flaky     ${r.flaky.length}/${r.cases} cases (${pct(r.cases ? r.flaky.length / r.cases : 0)}) pass on some repeats but not all${
      shown.length
        ? `: ${shown.join(', ')}${r.flaky.length > shown.length ? `, … ${r.flaky.length - shown.length} more` : ''}`
        : ''
    }`,
  );
  const v = r.variance;
  if (Number.isFinite(v.within) && Number.isFinite(v.between)) {
    const advice = v.advice === 'more cases' ? 'add cases, not repeats' : 'add repeats';
    out.push(
      `  variance  between cases ${v.between.toFixed(3)} · within case ${v.within.toFixed(3)} (${pct(v.withinShare)} of the variance of pass@1 is repeat noise) → next budget: ${advice}`,
    );
  }
  // Only when the naive n·k SE would be misleadingly smaller (stats-judges.md §8.3).
  if (Number.isFinite(v.se) && Number.isFinite(v.naiveSe) && v.naiveSe < v.se)
    out.push(
      pc.dim(
        `  note      SE of pass@1 across cases ${v.se.toFixed(3)}; treating the ${g.scored} results as independent would claim ${v.naiveSe.toFixed(3)}`,
      ),
    );
  return out;
}

/** The clustered line of one group (stats-judges.md §8.1). */
function renderClustered(g: GroupSummary): string[] {
  const c = g.clustered;
  if (!c) return [];
  const de = Number.isFinite(c.designEffect) ? c.designEffect.toFixed(2) : '—';
  const eff = Number.isFinite(c.effectiveN) ? c.effectiveN.toFixed(1) : '—';
  return [
    pc.dim(`clusters · ${safeText(g.prompt, 30)}@${g.promptVersion} × ${safeText(g.modelId, 40)}`),
    `  pass rate ${ci(c)} ${c.method} (${c.n} cases in ${c.clusters} clusters; design effect ${de}, effective n ${eff})`,
  ];
}

/** The mean-score line under a group's row (stats-judges.md §8.1), when its scores are not all 0/1. */
export function renderScoreLine(g: GroupSummary): string | undefined {
  const s = g.score;
  if (!s) return undefined;
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '—');
  const method =
    s.method === 'student-t'
      ? `Student-t (n = ${s.n})`
      : s.method === 'wilson'
        ? `Wilson (n = ${s.n}; every case scored the same)`
        : `bootstrap percentile (n = ${s.n}, ${s.resamples} resamples, seed ${s.seed})`;
  return `  mean score ${f(s.mean)} [${f(s.lower)}, ${f(s.upper)}] ${method} · sd ${f(s.sd)} · median ${f(s.median)}`;
}

const rate1 = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * A validated judge's pass rate per prompt × model, raw and corrected for its measured TPR/TNR
 * (Rogan–Gladen, stats-judges.md §5.8): `judge refund · p@v × m: 62.0% judged pass (31/50) → 58.4%
 * corrected [49.1%, 67.7%] (TPR 0.92, TNR 0.88 on 50 annotations)`.
 */
export function renderCalibration(
  name: string,
  calibration: NonNullable<EvalReport['judges']>[number]['calibration'],
  repeats = 1,
): string[] {
  if (!calibration) return [];
  const judge = `judge ${safeText(name, 40)}`;
  if (!calibration.available)
    return [`  ${judge}: no corrected pass rate: ${safeText(calibration.reason, 200)}`];
  const basis = `TPR ${calibration.tpr.toFixed(2)}, TNR ${calibration.tnr.toFixed(2)} on ${calibration.annotations} annotations`;
  const out = calibration.groups.map((g) => {
    const where = `${safeText(g.prompt, 30)}@${g.promptVersion} × ${safeText(g.modelId, 40)}`;
    const raw =
      g.judgeRate === null
        ? 'nothing judged'
        : `${rate1(g.judgeRate)} judged pass (${g.judgedPass}/${g.judged})`;
    if (!g.corrected)
      return `  ${judge} · ${where}: ${raw}; not corrected: ${safeText(g.refused ?? '', 200)}`;
    const c = g.corrected;
    return `  ${judge} · ${where}: ${raw} → ${rate1(c.estimate)} corrected [${rate1(c.lower)}, ${rate1(c.upper)}] (${basis})`;
  });
  if (repeats > 1)
    out.push(
      pc.dim(
        `  judge ${safeText(name, 40)}: each repeat counts as one judged output; the corrected interval treats repeats as independent (too narrow when repeats agree)`,
      ),
    );
  return out;
}

/** The terminal rendering of an eval: a table per prompt × model, then categories, then warnings. */
export function renderEvalReport(report: EvalReport): string {
  const { run, summary } = report;
  const out: string[] = [];
  const statusText = run.status === 'completed' ? pc.green(run.status) : pc.yellow(run.status);
  out.push(
    `${pc.bold('run')} ${run.id} · ${statusText} · suite ${safeText(run.suite.name)} (${run.suite.cases} cases) × ${run.repeats} repeat${run.repeats === 1 ? '' : 's'} · ${run.stored}/${run.planned} results`,
  );
  out.push('');
  // One method for every group → named in the header; otherwise a column per row.
  const methods = new Set(summary.groups.map((g) => g.passRate?.method ?? 'wilson'));
  const shared = methods.size <= 1 ? ([...methods][0] ?? 'wilson') : undefined;
  const methodName = (m: string) => METHOD_NAMES[m] ?? m;
  const rows = summary.groups.map((g) => [
    `${safeText(g.prompt, 30)}@${g.promptVersion}`,
    safeText(g.modelId, 40),
    formatInterval(g.passRate) +
      (shared === undefined ? ` ${methodName(g.passRate?.method ?? 'wilson')}` : ''),
    g.repeats ? `${g.passed}/${g.scored} (${g.cases} cases × ${g.repeats.k})` : `${g.passed}/${g.scored}`,
    String(g.errors),
    g.latency ? `${formatMs(g.latency.p50)}/${formatMs(g.latency.p95)}` : '—',
    `${formatCount(g.tokens.input)}/${formatCount(g.tokens.output)}`,
    formatCost(g.cost, g.costUnknown),
  ]);
  const groupTable = table(
    [
      'prompt@version',
      'model',
      shared === undefined ? 'pass rate [95% CI] method' : `pass rate [95% CI ${methodName(shared)}]`,
      'pass/n',
      'errors',
      'latency p50/p95',
      'tokens in/out',
      'cost',
    ],
    rows,
    [false, false, false, true, true, true, true, true],
  ).split('\n');
  // Header, rule, then one line per group: the mean-score line goes right under its group's row.
  out.push(...groupTable.slice(0, 2));
  summary.groups.forEach((g, i) => {
    out.push(groupTable[i + 2] ?? '');
    const line = renderScoreLine(g);
    if (line) out.push(pc.dim(line));
  });
  for (const g of summary.groups) {
    const extra = [...renderRepeats(g), ...renderClustered(g)];
    if (extra.length) out.push('', ...extra);
  }
  for (const f of report.structured ?? []) out.push('', ...renderStructured(f));
  for (const c of report.consistency ?? []) out.push('', ...renderConsistency(c));
  for (const g of summary.groups) {
    if (g.categories.length < 2 && g.categories[0]?.category === 'uncategorised') continue;
    out.push('');
    out.push(
      pc.dim(`by category · ${safeText(g.prompt, 30)}@${g.promptVersion} × ${safeText(g.modelId, 40)}`),
    );
    out.push(
      table(
        ['category', 'pass rate [95% CI]', 'pass/n', 'errors'],
        g.categories.map((c) => [
          safeText(c.category, 30) + (c.scored > 0 && c.scored < 10 ? ' (n<10)' : ''),
          formatInterval(c.passRate),
          `${c.passed}/${c.scored}`,
          String(c.errors),
        ]),
        [false, false, true, true],
      ),
    );
  }
  for (const t of report.techniques ?? []) out.push('', ...renderTechniqueTable(t));
  const errorLines = summary.groups
    .filter((g) => g.errors > 0)
    .map(
      (g) =>
        `${safeText(g.modelId, 40)}: ${g.errors} error${g.errors === 1 ? '' : 's'} (${Object.entries(
          g.errorKinds,
        )
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}) — excluded from pass rates, not counted as failures`,
    );
  if (errorLines.length) {
    out.push('');
    for (const l of errorLines) out.push(pc.yellow(l));
  }
  for (const t of report.thresholds) {
    const rate = t.passRate === null ? '—' : `${(100 * t.passRate).toFixed(1)}%`;
    const mark = t.met ? pc.green('met') : pc.red('NOT met');
    out.push(
      `threshold ${(100 * t.min).toFixed(1)}% for ${safeText(t.prompt, 30)} × ${safeText(t.modelId, 40)}: ${rate} — ${mark}`,
    );
  }
  for (const j of report.judges ?? [])
    if (j.status === 'validated') {
      out.push(
        pc.dim(
          `judge ${safeText(j.name, 40)} (${safeText(j.file, 60)}): validated — ${safeText(j.reason, 100)}`,
        ),
      );
      out.push(...renderCalibration(j.name, j.calibration, report.run.repeats));
    }
  if (report.warnings.length) {
    out.push('');
    for (const w of report.warnings) out.push(pc.yellow(`warning: ${w}`));
  }
  if (report.cacheSummary || report.throttling) out.push('');
  if (report.cacheSummary) out.push(pc.dim(`cache: ${safeText(report.cacheSummary, 300)}`));
  for (const t of report.throttling ?? []) out.push(pc.yellow(`throttling: ${safeText(t.log, 400)}`));
  if (report.incomplete) {
    out.push('');
    const why =
      report.incomplete === 'over-budget'
        ? 'the --max-cost budget was reached'
        : report.incomplete === 'interrupted'
          ? 'it was interrupted'
          : 'too many calls errored (see --max-error-rate)';
    out.push(pc.yellow(`run ${run.id} is incomplete: ${why}. Resume it with: assay eval --resume ${run.id}`));
  }
  const cost = formatCost(run.cost, run.costUnknown);
  const passed = summary.groups.reduce((n, g) => n + g.passed, 0);
  const failed = summary.groups.reduce((n, g) => n + g.failed, 0);
  out.push('');
  out.push(`${passed} passed, ${failed} failed, ${summary.errors} errors`);
  out.push(
    pc.dim(
      `total cost ${cost}${report.retries ? ` · ${report.retries} retries` : ''} · details: assay runs show ${run.id}`,
    ),
  );
  return out.join('\n');
}
