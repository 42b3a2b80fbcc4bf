import {
  judgePairwiseRuns,
  type PairwiseRunsDryRun,
  type PairwiseRunsReport,
  type RunSide,
} from '../../app/pairwise-runs.ts';
import { formatPValue } from '../../judges/pairwise-runs.ts';
import { formatCost, pct, safeText } from '../../reporters/format.ts';

export interface JudgePairwiseFlags {
  cwd: string;
  config?: string;
  store?: string;
  maxCost?: number;
  dryRun?: boolean;
  limit?: number;
  seed?: number;
  json?: boolean;
}

/**
 * `assay judge pairwise JUDGE A B`: a pairwise judge compares two stored runs' outputs, each pair in both
 * orders. Exit 0 whatever the preference; 2 for bad input (not a pairwise judge, unknown runs, nothing
 * to pair); 3 when `--max-cost` stopped the judging before every selected pair was judged.
 */
export async function judgePairwiseCommand(
  judge: string,
  a: string,
  b: string,
  flags: JudgePairwiseFlags,
): Promise<number> {
  const report = await judgePairwiseRuns({
    cwd: flags.cwd,
    judge,
    a,
    b,
    ...(flags.config !== undefined ? { config: flags.config } : {}),
    ...(flags.store !== undefined ? { store: flags.store } : {}),
    ...(flags.maxCost !== undefined ? { maxCost: flags.maxCost } : {}),
    ...(flags.dryRun ? { dryRun: true } : {}),
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
  });
  // NaN (nothing to estimate) is written as null.
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(report.dryRun ? renderDryRun(report) : renderReport(report));
  return !report.dryRun && report.notJudged > 0 ? 3 : 0;
}

function runLine(label: string, r: RunSide): string {
  const prompts = r.prompts.map((p) => `${p.name}@${p.version.slice(0, 8)}`).join(', ');
  return `  ${label} run ${r.id}  ${safeText(prompts, 60)} · ${safeText(r.models.join(', '), 60)} · suite ${safeText(r.suite, 40)}`;
}

function header(r: PairwiseRunsReport | PairwiseRunsDryRun): string[] {
  const p = r.pairing;
  const lines = [
    `pairwise judge ${safeText(r.judge.name, 40)} (${safeText(r.judge.file, 60)} @${r.judge.version}, model ${safeText(r.judge.model, 60)})`,
    runLine('A', r.a),
    runLine('B', r.b),
  ];
  const skipped: string[] = [];
  if (p.erroredA) skipped.push(`${p.erroredA} errored in A`);
  if (p.erroredB) skipped.push(`${p.erroredB} errored in B`);
  if (p.onlyA) skipped.push(`${p.onlyA} only in A`);
  if (p.onlyB) skipped.push(`${p.onlyB} only in B`);
  lines.push(
    `  pairs: ${p.paired} paired by case${p.byModel ? ', model' : ''} and repeat${skipped.length ? ` (skipped: ${skipped.join(', ')})` : ''}${
      p.selected < p.paired ? `; ${p.selected} drawn (--limit ${p.limit}, seed ${p.seed})` : ''
    }`,
  );
  return lines;
}

function renderDryRun(r: PairwiseRunsDryRun): string {
  const lines = header(r);
  lines.push(
    `  dry run: ${r.calls} judge calls (${r.cachedCalls} cached), ~${r.inputTokens} input + ~${r.outputTokens} output tokens, cost ${
      r.cost === null ? 'unknown' : formatCost(r.cost, false)
    }; nothing sent`,
  );
  if (r.unbuildable > 0)
    lines.push(`  ${r.unbuildable} pair(s) cannot be judged (their prompt cannot be built)`);
  for (const a of r.assumptions) lines.push(`  assumes: ${a}`);
  for (const w of r.warnings) lines.push(`  warning: ${safeText(w, 200)}`);
  return `${lines.join('\n')}\n`;
}

function renderReport(r: PairwiseRunsReport): string {
  const s = r.summary;
  const lines = header(r);
  const judgedPairs = s.pairs;
  lines.push(
    `  ${judgedPairs + s.errors} pairs judged in both orders: A wins ${s.winsA} · B wins ${s.winsB} · ties ${s.ties} (${s.consistentTies} consistent, ${s.orderDisagreements} order disagreements) · errors ${s.errors}${
      r.notJudged > 0 ? ` · ${r.notJudged} not judged (over budget)` : ''
    }`,
  );
  const w = s.winRateB;
  lines.push(
    w.n === 0
      ? '  B win rate: — (no decisive pair)'
      : `  B win rate ${pct(w.estimate)} [${(100 * w.lower).toFixed(1)}, ${(100 * w.upper).toFixed(1)}] over ${w.n} decisive pairs (Wilson 95%) · sign test p ${formatPValue(s.signTestP)}`,
  );
  if (s.byCase)
    lines.push(
      `  by case (${s.byCase.cases} cases hold several pairs; pairs of one case are not independent): B ${s.byCase.winsB} · A ${s.byCase.winsA} · even ${s.byCase.ties} · sign test p ${formatPValue(s.byCase.p)}`,
    );
  lines.push(
    judgedPairs === 0
      ? '  position consistency: — (no pair judged)'
      : `  position consistency ${pct(s.positionConsistency)} (${judgedPairs - s.inconsistent}/${judgedPairs})${
          s.inconsistent > 0
            ? ` · position bias: ${s.positionBias === 'none' ? 'no direction' : `toward the ${s.positionBias}-shown output`} (first ${s.firstPosition}, second ${s.secondPosition} of ${s.inconsistent} disagreements)`
            : ''
        }`,
  );
  const c = r.calls;
  lines.push(
    `  judge calls: ${c.made} made, ${c.cached} from the cache · cost ${formatCost(c.cost, c.costUnknown)}${
      c.maxCost !== undefined ? ` (cap $${c.maxCost})` : ''
    }`,
  );
  if (r.errors.length > 0) {
    lines.push('  errors:');
    for (const e of r.errors.slice(0, 10))
      lines.push(
        `    ${safeText(e.caseId, 40)}${e.modelId ? ` · ${safeText(e.modelId, 40)}` : ''} #${e.repeat}: ${safeText(e.error, 160)}`,
      );
    if (r.errors.length > 10) lines.push(`    … ${r.errors.length - 10} more (--json lists them all)`);
  }
  for (const warning of r.warnings) lines.push(`  warning: ${safeText(warning, 200)}`);
  if (r.notJudged > 0)
    lines.push(
      `  incomplete: the --max-cost budget ran out; run again with a higher cap (judged calls are cached and cost nothing again)`,
    );
  lines.push(`verdict: ${s.verdict.text}`);
  return `${lines.join('\n')}\n`;
}
