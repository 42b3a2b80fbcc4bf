import { renderComparisonMarkdown } from '../reporters/render-comparison.ts';
import { outputStatsMarkdown } from './output-stats-sections.ts';
import type { EmbeddedCase, FlipCase, ReportData } from './report-data.ts';
import { interval, ms, shortVersion, usd } from './report-format.ts';
import { techniqueMarkdown } from './technique-section.ts';

/** Regressions (or, without --compare, failures) shown with output excerpts. */
const TOP = 10;
const EXCERPT = 300;

/**
 * The Markdown report, for pull requests and portfolios: headline table with intervals, the comparison's
 * verdicts, top regressions with short fenced excerpts. Charts are left to the HTML report. Text from runs
 * is escaped (`mdText`) or fenced so it can neither close the fence nor inject markup.
 */
export function renderMarkdownReport(d: ReportData): string {
  const r = d.report;
  const out: string[] = [];
  out.push(
    d.comparison
      ? `# Assay report · run ${mdText(r.run.id)} vs ${mdText(d.comparison.baselineRun.id)}`
      : `# Assay report · run ${mdText(r.run.id)}`,
  );
  out.push('');
  out.push(
    `Suite **${mdText(r.run.suite.name)}** · status ${mdText(r.run.status)}${r.incomplete ? ` (incomplete: ${r.incomplete})` : ''} · ${r.summary.total} results, ${r.summary.errors} errored (counted apart) · cost ${usd(r.run.cost, r.run.costUnknown)}${r.run.git ? ` · git ${mdText(r.run.git.commit.slice(0, 12))}${r.run.git.dirty ? ' (dirty)' : ''}` : ''}`,
  );
  out.push('');
  out.push('| prompt × model | pass rate [95% CI] | n | failed | errors | mean score | cost | latency p50 |');
  out.push('| --- | --- | ---: | ---: | ---: | --- | ---: | ---: |');
  for (const g of r.summary.groups)
    out.push(
      `| ${mdText(`${g.prompt}@${shortVersion(g.promptVersion)} × ${g.modelId}`)} | ${interval(g.passRate)} | ${g.passRate?.n ?? 0} | ${g.failed} | ${g.errors} | ${g.score ? `${g.score.mean.toFixed(3)} [${g.score.lower.toFixed(3)}, ${g.score.upper.toFixed(3)}]` : '—'} | ${usd(g.cost, g.costUnknown)} | ${ms(g.latency?.p50)} |`,
    );
  if (r.judges?.length) {
    out.push('', '| judge | status | why | corrected pass rate [95% CI] |', '| --- | --- | --- | --- |');
    for (const j of r.judges) {
      const c = j.calibration;
      const corrected = !c
        ? '—'
        : !c.available
          ? `not corrected: ${mdText(c.reason)}`
          : c.groups
              .map(
                (g) =>
                  `${mdText(`${g.prompt}@${shortVersion(g.promptVersion)} × ${g.modelId}`)}: ${g.corrected ? interval(g.corrected) : mdText(g.refused ?? 'not corrected')}`,
              )
              .join('<br>');
      out.push(`| ${mdText(j.name)} | ${mdText(j.status)} | ${mdText(j.reason)} | ${corrected} |`);
    }
  }
  out.push(...techniqueMarkdown(r, mdText));
  const warnings = [...r.warnings, ...(d.comparison?.warnings ?? [])];
  if (warnings.length) out.push('', ...warnings.map((w) => `> ⚠️ ${mdText(w)}`));
  if (d.comparison) {
    out.push('', `## Comparison with run ${mdText(d.comparison.baselineRun.id)}`, '');
    out.push('A = the baseline run, B = this run; differences are B − A (positive is better).');
    for (const c of [...d.comparison.pass, ...d.comparison.score])
      out.push(
        '',
        `### ${c.metric === 'pass' ? 'Pass rate' : 'Mean score'}`,
        '',
        renderComparisonMarkdown(c),
      );
    const regressions = d.comparison.flips.filter((f) => f.kind === 'regressed');
    out.push(
      '',
      `## Top regressions (${regressions.length}${regressions.length > TOP ? `, first ${TOP}` : ''})`,
    );
    if (regressions.length === 0) out.push('', 'No case regressed.');
    for (const f of regressions.slice(0, TOP)) out.push('', ...flipMarkdown(f));
  } else {
    const failures = d.cases.embedded.filter((e) => e.status !== 'pass');
    out.push(
      '',
      `## Failures (${d.cases.failed} failed, ${d.cases.errors} errored${failures.length > TOP ? `; first ${TOP}` : ''})`,
    );
    if (failures.length === 0) out.push('', 'No result failed or errored.');
    for (const e of failures.slice(0, TOP)) out.push('', ...caseMarkdown(e));
  }
  out.push(...outputStatsMarkdown(d, mdText));
  out.push('', '_Charts: see the HTML report (`assay report RUN -o report.html`)._');
  if (d.resultsFile) out.push('', `Every result: \`${mdCode(d.resultsFile)}\` (JSONL, beside this file).`);
  out.push('', `<sub>generated ${d.generatedAt} by assay ${mdText(d.assayVersion)}</sub>`, '');
  return out.join('\n');
}

function flipMarkdown(f: FlipCase): string[] {
  return [
    `### \`${mdCode(f.caseId)}\`${f.protected ? ' **(protected)**' : ''} · ${mdText(f.group)}`,
    '',
    `A (${f.baseline?.status ?? 'not found'}):`,
    '',
    ...fence(f.baseline?.output ?? ''),
    '',
    `B (${f.candidate?.status ?? 'not found'}):`,
    '',
    ...fence(f.candidate?.output ?? ''),
  ];
}

function caseMarkdown(e: EmbeddedCase): string[] {
  const why = e.error ?? e.failedChecks.map((c) => `${c.name}: ${c.reason}`).join('; ');
  return [
    `### \`${mdCode(e.caseId)}\`${e.repeat ? ` #${e.repeat}` : ''} · ${e.status} · ${mdText(`${e.prompt}@${shortVersion(e.promptVersion)} × ${e.modelId}`)}`,
    '',
    mdText(why.slice(0, EXCERPT)),
    '',
    ...fence(e.output),
    ...(e.trajectory
      ? [
          '',
          mdText(
            `trajectory: ${e.trajectory.llmSteps} model calls · tools ${
              e.trajectory.lines
                .filter((l) => l.type === 'tool')
                .map((l) => l.text.slice(0, l.text.indexOf('(') > 0 ? l.text.indexOf('(') : l.text.length))
                .join(' → ') || 'none'
            } · ended: ${e.trajectory.termination}`,
          ),
        ]
      : []),
  ];
}

/**
 * A fenced block of text that cannot end early: the fence is longer than any backtick run inside.
 * Control and bidirectional-override characters are removed; the excerpt is cut at 300 characters.
 */
export function fence(text: string): string[] {
  let s = clean(text);
  if (s.length > EXCERPT) s = `${s.slice(0, EXCERPT)}…`;
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((x) => x.length));
  const f = '`'.repeat(Math.max(3, longest + 1));
  return [`${f}text`, s, f];
}

/** Plain Markdown text on one line: markup, table and HTML characters escaped. */
export function mdText(s: string): string {
  return clean(s)
    .replace(/\r?\n/g, ' ⏎ ')
    .replace(/[\\`*_[\]<>|#!~&]/g, (ch) => `\\${ch}`);
}

/** Text inside a Markdown code span: no backticks, one line. */
export function mdCode(s: string): string {
  return clean(s).replace(/\r?\n/g, ' ').replace(/`/g, 'ˋ').slice(0, 120);
}

function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g, '');
}
