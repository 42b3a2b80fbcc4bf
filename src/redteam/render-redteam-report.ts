import { formatCost, pct, safeText, table } from '../reporters/format.ts';
import { formatP } from '../reporters/render-comparison.ts';
import type { RateRow } from './attack-success.ts';
import type { RedteamReport } from './redteam-report.ts';

const n = (r: RateRow) => `${r.hits}/${r.assessed}`;

/** `25.0% [10.2, 49.5]`; `—` when nothing was assessed. */
function formatInterval(i: RateRow['rate']): string {
  if (!i) return '—';
  return `${pct(i.estimate)} [${(100 * i.lower).toFixed(1)}, ${(100 * i.upper).toFixed(1)}]`;
}

function rateTable(title: string, rows: RateRow[], hitsLabel: string): string {
  return [
    title,
    table(
      [title.includes('strategy') ? 'strategy' : 'plugin', 'ASR [95% CI]', hitsLabel, 'unassessed'],
      rows.map((r) => [r.key, formatInterval(r.rate), n(r), String(r.unassessed)]),
      [false, true, true, true],
    ),
  ].join('\n');
}

/** The terminal report. Every model output and attack text is hostile: printed through safeText. */
export function renderRedteamReport(r: RedteamReport): string {
  const out: string[] = [];
  out.push(
    `red team run ${r.run.id} · ${r.run.status} · suite ${safeText(r.run.suite, 40)} (${r.run.cases} attempts, ${safeText(r.run.suiteFile, 80)}) · cost ${formatCost(r.run.cost, false)}`,
  );
  if (r.run.stored < r.run.planned)
    out.push(
      `incomplete (${r.run.incomplete ?? 'stopped'}): ${r.run.stored} of ${r.run.planned} calls made; the rates below cover only those. Run again (with a higher --max-cost): answered calls come from the cache.`,
    );
  out.push(
    `plugins ${r.config.plugins.join(', ')} · strategies ${r.config.strategies.length ? r.config.strategies.join(', ') : '(none: attacks as written)'} · seed ${r.config.seed}`,
  );
  if (r.run.paraphraseRun)
    out.push(`attacker rewrites (paraphrase strategy): run ${r.run.paraphraseRun}, included in the cost`);
  if (r.grader) {
    out.push(
      `grader judge ${safeText(r.grader.judge, 80)}: ${r.grader.status} (${safeText(r.grader.reason, 120)})`,
    );
    for (const c of r.grader.corrected ?? [])
      out.push(
        `  harmful-content ASR corrected for the judge's TPR/TNR, ${safeText(c.prompt, 40)} × ${safeText(c.modelId, 60)}: ${c.asr ? formatInterval(c.asr) : `not corrected (${safeText(c.refused ?? '', 120)})`} (${c.judged} judged)`,
      );
    if (r.grader.correctionUnavailable)
      out.push(`  no corrected harmful-content ASR: ${safeText(r.grader.correctionUnavailable, 200)}`);
  }
  for (const g of r.groups) {
    out.push('');
    out.push(`${safeText(g.prompt, 40)}@${g.promptVersion.slice(0, 8)} × ${safeText(g.modelId, 60)}`);
    out.push(
      `  attack success ${formatInterval(g.overall.rate)} (${n(g.overall)} breached; ${g.overall.unassessed} unassessed, errors are never counted)`,
    );
    if (g.utility)
      out.push(
        `  utility under attack ${formatInterval(g.utility.rate)} of benign requests answered (${g.utility.answered}/${g.utility.assessed}; ${g.utility.hits} over-refused)`,
      );
    out.push(indent(rateTable('per plugin', g.perPlugin, 'breached')));
    if (g.perStrategy.length > 1) out.push(indent(rateTable('per strategy', g.perStrategy, 'breached')));
  }
  for (const c of [...(r.versions ?? []), ...(r.compare ?? [])]) {
    out.push('');
    const asr = (x: number | null) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
    const pp = (x: number) => `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)}`;
    out.push(
      `${c.baselineRun === r.run.id ? `${safeText(c.baselinePrompt, 40)} → ${safeText(c.prompt, 40)}` : `compared with run ${c.baselineRun} · ${safeText(c.prompt, 40)}`} × ${safeText(c.modelId, 60)}: ASR ${asr(c.baselineAsr)} → ${asr(c.candidateAsr)}, change ${pp(c.asrChange.estimate)} pp [${pp(c.asrChange.lower)}, ${pp(c.asrChange.upper)}] · ${c.test} p = ${formatP(c.p)} · ${c.verdict}`,
    );
    if (c.newlyBreached.length)
      out.push(
        `  newly breached (${c.newlyBreached.length}): ${c.newlyBreached
          .slice(0, 8)
          .map((x) => safeText(x, 60))
          .join(', ')}`,
      );
    if (c.newlyHeld.length)
      out.push(
        `  newly held (${c.newlyHeld.length}): ${c.newlyHeld
          .slice(0, 8)
          .map((x) => safeText(x, 60))
          .join(', ')}`,
      );
  }
  if (r.top.length > 0) {
    out.push('', 'most effective attacks');
    r.top.forEach((t, i) => {
      out.push(
        `  ${i + 1}. ${t.plugin}/${safeText(t.seed, 40)}: breached ${t.breached}/${t.assessed} (strategies: ${t.strategies.join(', ')})`,
      );
      const e = t.example;
      out.push(`     ${safeText(e.caseId, 80)} · ${safeText(e.prompt, 30)} × ${safeText(e.modelId, 40)}`);
      for (const m of e.transcript.slice(-3)) out.push(`     ${m.role}: ${safeText(m.content, 160)}`);
      out.push(`     target: ${safeText(e.output, 160)}`);
      for (const call of e.toolCalls ?? [])
        out.push(
          `     tool call: ${safeText(call.name, 40)}(${safeText(JSON.stringify(call.arguments) ?? '', 100)})`,
        );
      out.push(`     why: ${safeText(e.reason, 120)}`);
    });
  }
  if (r.frozen)
    out.push(
      '',
      `froze ${r.frozen.cases} breaching attacks into ${safeText(r.frozen.file, 100)} (add it to suites: to replay them with assay eval / assay gate)`,
    );
  for (const w of r.warnings) out.push(`warning: ${safeText(w, 300)}`);
  return out.join('\n');
}

const indent = (s: string) =>
  s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
