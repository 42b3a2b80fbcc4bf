import pc from 'picocolors';
import type { EvalReport } from './eval-report.ts';
import { formatCost, formatCount, formatInterval, formatMs, safeText, table } from './format.ts';

/** The terminal rendering of an eval: a table per prompt × model, then categories, then warnings. */
export function renderEvalReport(report: EvalReport): string {
  const { run, summary } = report;
  const out: string[] = [];
  const statusText = run.status === 'completed' ? pc.green(run.status) : pc.yellow(run.status);
  out.push(
    `${pc.bold('run')} ${run.id} · ${statusText} · suite ${safeText(run.suite.name)} (${run.suite.cases} cases) × ${run.repeats} repeat${run.repeats === 1 ? '' : 's'} · ${run.stored}/${run.planned} results`,
  );
  out.push('');
  const rows = summary.groups.map((g) => [
    `${safeText(g.prompt, 30)}@${g.promptVersion}`,
    safeText(g.modelId, 40),
    formatInterval(g.passRate),
    g.passRate?.method === 'wilson-cases'
      ? `${g.passed}/${g.scored} (${g.cases} cases)`
      : `${g.passed}/${g.scored}`,
    String(g.errors),
    g.latency ? `${formatMs(g.latency.p50)}/${formatMs(g.latency.p95)}` : '—',
    `${formatCount(g.tokens.input)}/${formatCount(g.tokens.output)}`,
    formatCost(g.cost, g.costUnknown),
  ]);
  out.push(
    table(
      [
        'prompt@version',
        'model',
        'pass rate [95% CI Wilson]',
        'pass/n',
        'errors',
        'latency p50/p95',
        'tokens in/out',
        'cost',
      ],
      rows,
      [false, false, false, true, true, true, true, true],
    ),
  );
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
  if (report.warnings.length) {
    out.push('');
    for (const w of report.warnings) out.push(pc.yellow(`warning: ${w}`));
  }
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
