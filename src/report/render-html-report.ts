import { createHash } from 'node:crypto';
import type { Comparison } from '../core/compare/comparison.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import type { TrajectorySummary } from '../views/trajectory-summary.ts';
import type { DiffSegment } from '../views/word-diff.ts';
import { escapeHtml as h } from './escape-html.ts';
import { outputStatsSection } from './output-stats-sections.ts';
import type { EmbeddedCase, FlipCase, ReportData } from './report-data.ts';
import { formatP, interval, ms, pct, pts, shortVersion, usd } from './report-format.ts';
import { barChart, type IntervalRow, intervalChart, scatterChart } from './svg-charts.ts';
import { techniqueSectionHtml } from './technique-section.ts';

/**
 * Bytes of embedded cases and flips a report may hold: whatever the outputs (long, or full of characters
 * that escaping lengthens), the file stays a few MB. Rows past the budget are left to the JSONL file.
 */
export const CASE_BYTES_BUDGET = 3_500_000;

/** The only script of the page: filters the case table by status and text. Its hash goes in the CSP. */
export const FILTER_SCRIPT = `(() => {
  const q = document.getElementById('q');
  const st = document.getElementById('st');
  const shown = document.getElementById('shown');
  const rows = Array.from(document.querySelectorAll('#cases tbody tr'));
  const update = () => {
    const text = q.value.toLowerCase();
    const status = st.value;
    let n = 0;
    for (const r of rows) {
      const ok = (!status || r.dataset.status === status) && (!text || r.textContent.toLowerCase().includes(text));
      r.hidden = !ok;
      if (ok) n++;
    }
    shown.textContent = String(n);
  };
  q.addEventListener('input', update);
  st.addEventListener('change', update);
})();`;

export const FILTER_SCRIPT_HASH = `sha256-${createHash('sha256').update(FILTER_SCRIPT).digest('base64')}`;

/** The Content-Security-Policy of the report: nothing loads, only the filter script runs. */
export const REPORT_CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '${FILTER_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'`;

/**
 * The self-contained HTML report: one file, no request of any kind (a CSP meta tag forbids them), charts
 * as inline SVG, every piece of text from runs (outputs, inputs, names, files) escaped by `escapeHtml`.
 * Renders a ReportData value; computes nothing but layout.
 */
export function renderHtmlReport(d: ReportData): string {
  const r = d.report;
  const budget = { left: CASE_BYTES_BUDGET };
  const flips = d.comparison ? flipsSection(d, budget) : '';
  const cases = casesSection(d, budget);
  const title = d.comparison
    ? `Assay report · run ${r.run.id} vs ${d.comparison.baselineRun.id}`
    : `Assay report · run ${r.run.id}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${h(title)}</h1>
<p class="meta">suite <b>${h(r.run.suite.name)}</b> (${h(r.run.suite.file)}) · status <b>${h(r.run.status)}</b>${r.incomplete ? ` (incomplete: ${h(r.incomplete)})` : ''} · created ${h(r.run.createdAt)} · ${r.run.stored} of ${r.run.planned} results stored · generated ${h(d.generatedAt)} by assay ${h(d.assayVersion)}</p>
</header>
<nav><a href="#headline">Headline</a>${r.techniques?.length ? ' <a href="#techniques">Techniques</a>' : ''} <a href="#charts">Charts</a>${r.structured ? ' <a href="#structured">Structured output</a>' : r.consistency ? ' <a href="#structured">Consistency</a>' : ''}${d.comparison ? ' <a href="#comparison">Comparison</a> <a href="#flips">Flipped cases</a>' : ''} <a href="#cases-section">Cases</a> <a href="#manifest">Manifest</a></nav>
<main>
${warnings(d)}
${headline(d)}
${techniqueSectionHtml(r)}
${charts(d)}
${outputStatsSection(d)}
${d.comparison ? comparisonSection(d) : ''}
${flips}
${cases}
${manifest(d)}
</main>
<script>${FILTER_SCRIPT}</script>
</body>
</html>
`;
}

function warnings(d: ReportData): string {
  const all = [...d.report.warnings, ...(d.comparison?.warnings ?? [])];
  if (all.length === 0) return '';
  return `<section class="warn"><h2>Read before trusting the numbers</h2><ul>${all.map((w) => `<li>${h(w)}</li>`).join('')}</ul></section>`;
}

function groupName(g: { prompt: string; promptVersion: string; modelId: string }): string {
  return `${g.prompt}@${shortVersion(g.promptVersion)} × ${g.modelId}`;
}

function headline(d: ReportData): string {
  const r = d.report;
  const rows = r.summary.groups.map((g) => {
    const errKinds = Object.entries(g.errorKinds)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    return `<tr><td>${h(groupName(g))}</td><td class="num"><b>${h(interval(g.passRate))}</b>${g.passRate ? ` <span class="dim">(n=${g.passRate.n}, ${h(g.passRate.method)})</span>` : ''}${g.clustered ? `<br><span class="dim">cluster-robust [${pct(g.clustered.lower)}, ${pct(g.clustered.upper)}] · ${g.clustered.clusters} clusters</span>` : ''}</td><td class="num">${g.passed} / ${g.scored}</td><td class="num">${g.failed}</td><td class="num">${g.errors}${errKinds ? ` <span class="dim">(${h(errKinds)})</span>` : ''}</td><td class="num">${g.score ? `${g.score.mean.toFixed(3)} [${g.score.lower.toFixed(3)}, ${g.score.upper.toFixed(3)}]` : '—'}</td><td class="num">${h(usd(g.cost, g.costUnknown))}</td><td class="num">${g.latency ? `${ms(g.latency.p50)} / ${ms(g.latency.p95)}` : '—'}</td><td class="num">${g.tokens.input} / ${g.tokens.output}</td></tr>`;
  });
  const judges = r.judges?.length
    ? `<h3>LLM judges</h3><table><thead><tr><th>judge</th><th>file</th><th>status</th><th>why</th><th>corrected pass rate [95% CI]</th></tr></thead><tbody>${r.judges
        .map(
          (j) =>
            `<tr><td>${h(j.name)}</td><td>${h(j.file)}</td><td class="judge-${h(j.status)}">${h(j.status)}</td><td>${h(j.reason)}</td><td>${calibration(j.calibration)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const thresholds = r.thresholds.length
    ? `<p>Thresholds: ${r.thresholds.map((t) => `${h(`${t.prompt}@${shortVersion(t.promptVersion)} × ${t.modelId}`)} ≥ ${pct(t.min)}: <b class="${t.met ? 'good' : 'bad'}">${t.met ? 'met' : 'not met'}</b>`).join(' · ')}</p>`
    : '';
  return `<section id="headline"><h2>Headline</h2>
<p>${r.summary.total} results · ${r.summary.errors} errored (counted apart: errors are not failures) · cost ${h(usd(r.run.cost, r.run.costUnknown))} · repeats ${r.run.repeats}. Pass rates are estimate [95% interval].</p>
<table><thead><tr><th>prompt × model</th><th>pass rate [95% CI]</th><th>passed / scored</th><th>failed</th><th>errors</th><th>mean score</th><th>cost</th><th>latency p50 / p95</th><th>tokens in / out</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${thresholds}${judges}</section>`;
}

/** A validated judge's pass rates per prompt × model, corrected for its TPR/TNR (Rogan–Gladen). */
function calibration(c: NonNullable<EvalReport['judges']>[number]['calibration']): string {
  if (!c) return '<span class="dim">— (only validated judges are corrected)</span>';
  if (!c.available) return `<span class="dim">not corrected: ${h(c.reason)}</span>`;
  const rows = c.groups.map(
    (g) =>
      `${h(groupName(g))}: ${g.corrected ? `<b>${h(interval(g.corrected))}</b>` : `<span class="dim">${h(g.refused ?? 'not corrected')}</span>`}${g.judgeRate !== null ? ` <span class="dim">(judge said pass ${pct(g.judgeRate)} of ${g.judged})</span>` : ''}`,
  );
  return `${rows.join('<br>')}<br><span class="dim">TPR ${pct(c.tpr)}, TNR ${pct(c.tnr)} from ${c.annotations} annotations</span>`;
}

function charts(d: ReportData): string {
  const groups = d.report.summary.groups;
  const rateRows: IntervalRow[] = [];
  for (const g of groups) {
    if (g.passRate)
      rateRows.push({ label: `${groupName(g)} · all`, ...g.passRate, note: `n=${g.passRate.n}` });
    for (const c of g.categories)
      if (c.passRate)
        rateRows.push({ label: `${groupName(g)} · ${c.category}`, ...c.passRate, note: `n=${c.passRate.n}` });
  }
  const passChart = intervalChart(rateRows, {
    title: 'Pass rate with 95% interval, per prompt × model × category',
    domain: [0, 1],
    format: pct,
  });
  let forest = '<p class="dim">Forest plot of paired differences: needs <code>--compare RUN</code>.</p>';
  if (d.comparison) {
    const rows: IntervalRow[] = [];
    for (const [metric, list] of [
      ['pass rate', d.comparison.pass],
      ['mean score', d.comparison.score],
    ] as const)
      for (const c of list)
        rows.push({
          label: `${metric} · ${groupName(c.candidate)}`,
          estimate: c.difference.estimate,
          lower: c.difference.lower,
          upper: c.difference.upper,
          note: c.verdict,
          ...(c.verdict === 'better'
            ? { tone: 'good' as const }
            : c.verdict === 'worse'
              ? { tone: 'bad' as const }
              : {}),
        });
    const extent = Math.max(0.05, ...rows.flatMap((x) => [Math.abs(x.lower), Math.abs(x.upper)]));
    const svg = intervalChart(rows, {
      title: 'Paired difference B − A with 95% interval, in points (mean scores × 100); right of 0 is better',
      domain: [-extent * 1.1, extent * 1.1],
      zero: true,
      format: (x) => pts(x).replace(' pts', ''),
    });
    forest = svg || '<p class="dim">No paired difference could be computed.</p>';
  }
  const flaky = d.flakiness.length
    ? d.flakiness
        .map(
          (f) =>
            barChart(
              f.bins.map((b) => ({ label: b.label, value: b.cases })),
              {
                title: `Flakiness: cases by pass rate over ${f.repeats} repeats · ${f.group}`,
                yLabel: 'cases',
              },
            ) || `<p class="dim">${h(f.group)}: no case with two or more scored repeats.</p>`,
        )
        .join('\n')
    : '<p class="dim">Flakiness histogram: this run has no repeats (<code>assay eval --repeat N</code>).</p>';
  const points = groups
    .filter((g) => g.passRate)
    .map((g) => ({
      label: groupName(g),
      x: g.total ? g.cost / g.total : 0,
      y: g.passRate?.estimate ?? 0,
      lower: g.passRate?.lower ?? 0,
      upper: g.passRate?.upper ?? 0,
    }));
  const unknownCost = groups.some((g) => g.costUnknown);
  const scatter = scatterChart(points, {
    title: `Cost versus quality, one point per prompt × model${unknownCost ? ' (some prices unknown: costs are lower bounds)' : ''}`,
    xLabel: 'mean cost per result (USD)',
    formatX: (x) => usd(x),
  });
  return `<section id="charts"><h2>Charts</h2>
<div class="chart-box">${passChart || '<p class="dim">No scored result: no pass rate to draw.</p>'}</div>
<div class="chart-box">${forest}</div>
<div class="chart-box">${flaky}</div>
<div class="chart-box">${scatter || '<p class="dim">No scored result: nothing to plot.</p>'}</div>
</section>`;
}

function comparisonSection(d: ReportData): string {
  const c = d.comparison;
  if (!c) return '';
  const blocks = [...c.pass, ...c.score].map(comparisonBlock).join('\n');
  const judges = c.judges?.length
    ? `<h3>LLM judges of the compared runs</h3><table><thead><tr><th>judge</th><th>status</th><th>versions per run</th><th>why</th></tr></thead><tbody>${c.judges
        .map(
          (j) =>
            `<tr><td>${h(j.name)}</td><td class="judge-${h(j.status)}">${h(j.status)}${j.changed ? ' <b class="bad">(version changed)</b>' : ''}</td><td>${j.runs.map((r) => `${h(r.runId)}: ${h(r.versions.join(', ') || '—')}`).join('<br>')}</td><td>${h(j.reason)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<section id="comparison"><h2>Comparison with run ${h(c.baselineRun.id)}</h2>
<p>A = baseline run ${h(c.baselineRun.id)} (created ${h(c.baselineRun.createdAt)}, suite ${h(c.baselineRun.suite.name)} ${h(c.baselineRun.suite.hash.slice(0, 12))}); B = this run ${h(d.report.run.id)}. Differences are B − A, paired by case: positive is better.</p>
${blocks}${judges}</section>`;
}

function comparisonBlock(c: Comparison): string {
  const side = (s: Comparison['baseline']) =>
    `${h(groupName(s))} · ${s.passRate ? h(interval(s.passRate)) : '—'}${s.meanScore ? ` · mean score ${s.meanScore.estimate.toFixed(3)} [${s.meanScore.lower.toFixed(3)}, ${s.meanScore.upper.toFixed(3)}]` : ''}`;
  const table = c.table
    ? `<table class="small"><thead><tr><th></th><th>B pass</th><th>B fail</th></tr></thead><tbody><tr><th>A pass</th><td class="num">${c.table.bothPass}</td><td class="num">${c.table.baselineOnly}</td></tr><tr><th>A fail</th><td class="num">${c.table.candidateOnly}</td><td class="num">${c.table.bothFail}</td></tr></tbody></table>`
    : '';
  const diff = (x: number) => (c.metric === 'pass' ? pts(x) : (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(3));
  const regressions = c.flips.filter((f) => f.kind === 'regression').length;
  const improvements = c.flips.length - regressions;
  return `<div class="cmp verdict-${h(c.verdict.replace(/ /g, '-'))}"><h3>${c.metric === 'pass' ? 'Pass rate' : 'Mean score'} · ${h(groupName(c.candidate))}</h3>
<p>A: ${side(c.baseline)}<br>B: ${side(c.candidate)}</p>
<p>${c.pairing.paired} paired cases · ${c.pairing.errored.length} dropped for errors · ${c.pairing.onlyInBaseline.length + c.pairing.onlyInCandidate.length} unmatched · ${regressions} regressions, ${improvements} improvements</p>
${table}
<p>difference <b>${h(diff(c.difference.estimate))}</b> [${h(diff(c.difference.lower))}, ${h(diff(c.difference.upper))}] · ${h(c.difference.method)} · p = ${formatP(c.p)} (${h(c.test)})${c.family > 1 ? ` · Holm p = ${formatP(c.pAdjusted)}` : ''}</p>
<p>verdict: <b class="${c.verdict === 'better' ? 'good' : c.verdict === 'worse' ? 'bad' : ''}">${h(c.verdict)}</b>${c.mde !== null ? ` · minimum detectable effect ≈ ${h(c.metric === 'pass' ? pts(c.mde).replace('+', '') : c.mde.toFixed(3))} at ${Math.round(100 * c.power)}% power` : ''}</p>
${c.warnings.length ? `<ul class="dim">${c.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul>` : ''}</div>`;
}

function flipsSection(d: ReportData, budget: { left: number }): string {
  const c = d.comparison;
  if (!c) return '';
  const parts: string[] = [];
  let shown = 0;
  for (const f of c.flips) {
    const html = flipBlock(f);
    if (html.length > budget.left) break;
    budget.left -= html.length;
    parts.push(html);
    shown++;
  }
  const more =
    shown < c.flipsTotal
      ? ` Showing ${shown} of ${c.flipsTotal} flipped cases (regressions first)${d.resultsFile ? `; every result is in <code>${h(d.resultsFile)}</code>` : ''}.`
      : '';
  return `<section id="flips"><h2>Flipped cases (${c.flipsTotal})</h2>
<p>Side by side, A (baseline) left and B (this run) right; words only in A are struck through, words only in B are underlined.${more}</p>
${parts.join('\n') || '<p class="dim">No case changed status.</p>'}</section>`;
}

function flipBlock(f: FlipCase): string {
  const rate = Math.abs(f.from - f.to) === 1 ? '' : ` (${f.from.toFixed(2)} → ${f.to.toFixed(2)})`;
  const cut = (s?: { outputChars: number; output: string }) =>
    s && s.outputChars > s.output.length
      ? `<p class="dim">… ${s.outputChars - s.output.length} more characters</p>`
      : '';
  return `<div class="flip" data-kind="${h(f.kind)}"><h3><span class="${f.kind === 'regressed' ? 'bad' : 'good'}">${h(f.kind)}</span> ${h(f.caseId)}${f.protected ? ' <b class="bad">(protected)</b>' : ''}${h(rate)} <span class="dim">${h(f.group)}</span></h3>
<div class="sbs"><div><p class="dim">A · ${h(f.baseline?.status ?? 'not found')}</p><pre>${diffSide(f.diff, 'removed', f.baseline?.output)}</pre>${cut(f.baseline)}</div><div><p class="dim">B · ${h(f.candidate?.status ?? 'not found')}</p><pre>${diffSide(f.diff, 'added', f.candidate?.output)}</pre>${cut(f.candidate)}</div></div></div>`;
}

/** One side of a word diff: the common words plus this side's own, marked. */
function diffSide(diff: DiffSegment[], own: 'removed' | 'added', fallback?: string): string {
  if (diff.length === 0) return h(fallback ?? '');
  const tag = own === 'removed' ? 'del' : 'ins';
  return diff
    .filter((s) => s.op === 'same' || s.op === own)
    .map((s) => (s.op === 'same' ? h(s.text) : `<${tag}>${h(s.text)}</${tag}>`))
    .join('');
}

function casesSection(d: ReportData, budget: { left: number }): string {
  const c = d.cases;
  const rows: string[] = [];
  for (const e of c.embedded) {
    const html = caseRow(e);
    if (html.length > budget.left) break;
    budget.left -= html.length;
    rows.push(html);
  }
  const cut =
    rows.length < c.embedded.length
      ? ` (${c.embedded.length - rows.length} more left out to keep the file small)`
      : '';
  return `<section id="cases-section"><h2>Cases</h2>
<p>Embedded ${rows.length} of ${c.total} results${cut}: ${c.embeddedFailed} of ${c.failed} failed, ${c.embeddedErrors} of ${c.errors} errored, and a seeded sample (seed ${c.sampleSeed}) of ${c.embeddedPassed} of ${c.passed} passed. ${d.resultsFile ? `Every result is in <code>${h(d.resultsFile)}</code> beside this file.` : ''} Outputs are cut at 2,000 characters.</p>
<div class="filters"><label>status <select id="st"><option value="">all</option><option value="fail">fail</option><option value="error">error</option><option value="pass">pass</option></select></label> <label>text <input id="q" type="search" placeholder="case id, output, check…"></label> <span class="dim"><span id="shown">${rows.length}</span> shown</span></div>
<table id="cases"><thead><tr><th>status</th><th>case</th><th>prompt × model</th><th>category</th><th>checks / error</th><th>input</th><th>output</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></section>`;
}

function caseRow(e: EmbeddedCase): string {
  const checks = [
    ...(e.error ? [`<li class="bad">${h(e.error)}</li>`] : []),
    ...e.failedChecks.map(
      (c) =>
        `<li><b>${h(c.name)}</b>: ${h(c.reason)}${c.error ? ` <span class="bad">(${h(c.error)})</span>` : ''}</li>`,
    ),
  ];
  const more =
    e.outputChars > e.output.length
      ? `<span class="dim">… ${e.outputChars - e.output.length} more characters</span>`
      : '';
  return `<tr data-status="${h(e.status)}"><td class="st-${h(e.status)}">${h(e.status)}</td><td>${h(e.caseId)}${e.repeat ? ` <span class="dim">#${e.repeat}</span>` : ''}</td><td>${h(groupName(e))}</td><td>${h(e.category ?? '')}</td><td><ul>${checks.join('')}</ul></td><td><pre>${h(e.input ?? '')}</pre></td><td><pre>${h(e.output)}</pre>${more}${e.trajectory ? trajectoryBlock(e.trajectory) : ''}</td></tr>`;
}

/** An agent's or a conversation's steps, folded under the output (a native <details>: no script needed). */
function trajectoryBlock(t: TrajectorySummary): string {
  const head = `${t.llmSteps} model call${t.llmSteps === 1 ? '' : 's'} · ${t.toolCalls} tool call${t.toolCalls === 1 ? '' : 's'}${t.toolErrors ? ` (${t.toolErrors} failed)` : ''}${t.turns > 1 ? ` · ${t.turns} turns` : ''} · ended: ${t.termination}`;
  const items = t.lines
    .map(
      (l) =>
        `<li class="tr-${h(l.type)}"><span class="dim">${h(l.type)}${t.turns > 1 ? ` · turn ${l.turn + 1}` : ''}</span> ${h(l.text)}${l.error ? ` <span class="st-error">${h(l.error)}</span>` : ''}</li>`,
    )
    .join('');
  const omitted = t.omitted
    ? `<p class="dim">… ${t.omitted} more steps in the JSONL beside this report</p>`
    : '';
  return `<details class="trajectory"><summary>trajectory: ${h(head)}</summary><ol>${items}</ol>${omitted}</details>`;
}

function manifest(d: ReportData): string {
  const m = d.manifest;
  const kv = (k: string, v: string) => `<tr><th>${h(k)}</th><td>${v}</td></tr>`;
  const rows = [
    kv('run', h(d.report.run.id)),
    kv('project', h(m.project)),
    kv(
      'prompts',
      m.prompts.map((p) => `${h(p.name)} @ <code>${h(p.version)}</code> (${h(p.file)})`).join('<br>'),
    ),
    kv(
      'suite',
      `${h(m.suite.name)} (${h(m.suite.file)}) · hash <code>${h(m.suite.hash)}</code> · ${m.suite.cases} cases`,
    ),
    kv(
      'models',
      m.models.map((x) => `${h(x.id)} <code>${h(JSON.stringify(x.settings))}</code>`).join('<br>'),
    ),
    kv('repeats · seed', `${m.repeats} · ${m.seed}`),
    kv('git', m.git ? `<code>${h(m.git.commit)}</code>${m.git.dirty ? ' (dirty working tree)' : ''}` : '—'),
    kv(
      'price table',
      `${h(m.priceTable.package)} ${h(m.priceTable.version)}${m.priceTable.overrides ? ` · overrides ${h(m.priceTable.overrides)}` : ''}`,
    ),
    kv('options', `<code>${h(JSON.stringify(m.options))}</code>`),
    kv(
      'node · packages',
      `${h(m.node)} · ${Object.entries(m.packages)
        .map(([k, v]) => `${h(k)} ${h(v)}`)
        .join(', ')}`,
    ),
    kv('created', h(m.createdAt)),
  ];
  return `<section id="manifest"><h2>Run manifest</h2><table class="kv"><tbody>${rows.join('')}</tbody></table></section>`;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2330;background:#fff}
header,nav,main{max-width:1200px;margin:0 auto;padding:0 20px}
header h1{font-size:22px;margin:18px 0 4px}
nav{position:sticky;top:0;background:#fff;border-bottom:1px solid #dde;padding:6px 20px;z-index:1}
nav a{margin-right:14px;color:#2456a6;text-decoration:none}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #e4e6ee;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border-bottom:1px solid #eceef4;padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#f5f6fa;font-weight:600}
td{overflow-wrap:anywhere}td.num{text-align:right;white-space:nowrap;overflow-wrap:normal}
#cases{table-layout:fixed}#cases th:nth-child(1){width:52px}#cases th:nth-child(2){width:12%}#cases th:nth-child(3){width:14%}
#cases th:nth-child(4){width:8%}#cases th:nth-child(5){width:20%}#cases th:nth-child(6){width:16%}
table.small{width:auto}
table.kv th{width:160px;color:#555}
pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:18em;overflow:auto;margin:0;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;unicode-bidi:isolate}
td ul{margin:0;padding-left:16px}
.meta,.dim{color:#667}
.good{color:#137333}.bad{color:#b3261e}
.st-pass{color:#137333}.st-fail{color:#b3261e;font-weight:600}.st-error{color:#a15c00;font-weight:600}
.warn{background:#fff8e1;border:1px solid #f3d27a;padding:4px 14px;margin-top:14px}
.chart-box{overflow-x:auto;margin:10px 0}
svg.chart{font:11px system-ui,sans-serif;max-width:100%;height:auto}
svg .t{font-weight:600;font-size:13px}
svg .grid{stroke:#e6e8ef}svg .axis{stroke:#99a}svg .zero{stroke:#333;stroke-dasharray:4 3}
svg .ci,svg .cap{stroke:#2456a6;stroke-width:2}svg .pt{fill:#2456a6}
svg .good .ci,svg .good .cap{stroke:#137333}svg .good .pt{fill:#137333}
svg .bad .ci,svg .bad .cap{stroke:#b3261e}svg .bad .pt{fill:#b3261e}
svg .bar{fill:#6c8fd1}svg .tick,svg .note{fill:#556}svg .lbl{fill:#1d2330}
.filters{margin:8px 0}.filters input{width:280px}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:12px}
.sbs>div{border:1px solid #e4e6ee;padding:6px;min-width:0}
del{background:#fde2e1;color:#8c1d18}ins{background:#dcf2e1;color:#0d5a26;text-decoration:underline}
.flip{border-top:1px solid #eceef4;padding-top:4px}
.cmp{border-left:4px solid #c7cbd8;padding-left:12px;margin:12px 0}
.verdict-better{border-left-color:#137333}.verdict-worse{border-left-color:#b3261e}
`;
