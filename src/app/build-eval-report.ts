import { ResultsSummarizer } from '../core/stats/summarize-results.ts';
import type { RunRecord } from '../core/types.ts';
import type { ThrottleReport } from '../engine/model-throttle.ts';
import type { CallCounts } from '../engine/run-options.ts';
import { JudgeRateCounter } from '../judges/corrected-pass-rate.ts';
import type { JudgeValidationRecord } from '../judges/judge-status.ts';
import { cacheSummary } from '../reporters/cache-summary.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import type { Store } from '../store/store.ts';
import { OutputStatsCollector } from './output-stats-collector.ts';
import { TechniqueCollector } from './technique-collector.ts';

export interface ReportInputs {
  store: Store;
  run: RunRecord;
  threshold?: number;
  maxErrorRate: number;
  retries?: number;
  /** The engine's call counts (cached vs sent) and throttling, when the report follows the run. */
  calls?: CallCounts[];
  throttling?: ThrottleReport[];
  /** Set when the engine stopped early; decides exit code 3 / 130. */
  incomplete?: 'interrupted' | 'over-budget';
  interruptExitCode?: number;
  /** Warnings the caller knows of (e.g. cases without checks). */
  warnings?: string[];
  /**
   * The judges the run's checks used, with their status; a `validated` one with its validation record
   * gets its pass rates corrected for its measured TPR/TNR (stats-judges.md §5.8).
   */
  judges?: (NonNullable<EvalReport['judges']>[number] & { record?: JudgeValidationRecord })[];
  /**
   * caseId → the case's `expected`, from the suite the run used (see suite-expected.ts): the funnel's
   * field accuracy compares schema-valid outputs with it. Absent: fields are not compared.
   */
  expected?: ReadonlyMap<string, unknown>;
}

/** Reads a stored run once, streaming, and computes everything a reporter shows plus the exit code. */
export async function buildEvalReport(inp: ReportInputs): Promise<EvalReport> {
  const { store, run } = inp;
  // Bootstraps over cases use the run's seed, so a report recomputed later prints the same numbers.
  const summarizer = new ResultsSummarizer({ seed: run.manifest.seed });
  const counters = (inp.judges ?? []).map((j) =>
    j.status === 'validated' && j.record ? new JudgeRateCounter(j.name, j.record.judgeVersion) : undefined,
  );
  const outputStats = new OutputStatsCollector(run.manifest, inp.expected);
  const techniqueCollector = new TechniqueCollector(run.manifest);
  for await (const r of store.iterateResults(run.id)) {
    summarizer.add(r);
    for (const c of counters) c?.add(r);
    outputStats.add(r);
    techniqueCollector.add(r);
  }
  const judges = inp.judges?.map(({ record, ...j }, i) => {
    const counter = counters[i];
    return counter && record ? { ...j, calibration: counter.calibrate(record) } : j;
  });
  const summary = summarizer.summary();
  const techniques = techniqueCollector.finish(summary.groups);
  const { structured, consistency } = outputStats.finish(summary.groups);
  const warnings = [...(inp.warnings ?? []), ...summary.warnings, ...outputStats.warnings];
  if (structured.length > 0 && run.manifest.repeats > 1)
    warnings.push(
      'structured-output funnel: counts are over results (repeats included); its Wilson intervals treat repeats as independent',
    );
  if (inp.expected === undefined && structured.some((f) => f.schema.count > 0))
    warnings.push(
      'structured-output funnel: field accuracy needs the suite the run used (its `expected` values); run this from the project, with the suite unchanged since the run',
    );
  if (summary.groups.some((g) => g.repeats !== null))
    warnings.push(
      'repeats: pass rates are means of per-case pass rates (pass@1), with intervals over cases, not results',
    );
  const thresholds =
    inp.threshold === undefined
      ? []
      : summary.groups.map((g) => ({
          prompt: g.prompt,
          promptVersion: g.promptVersion,
          modelId: g.modelId,
          min: inp.threshold as number,
          passRate: g.passRate?.estimate ?? null,
          met: g.passRate !== null && g.passRate.estimate >= (inp.threshold as number),
        }));
  const errorRate = summary.total ? summary.errors / summary.total : 0;
  let incomplete: EvalReport['incomplete'] = inp.incomplete;
  if (!incomplete && run.status === 'interrupted') incomplete = 'interrupted';
  if (!incomplete && run.status === 'over-budget') incomplete = 'over-budget';
  if (!incomplete && summary.total < run.planned) incomplete = 'interrupted';
  if (!incomplete && errorRate > inp.maxErrorRate) {
    incomplete = 'errors';
    warnings.push(
      `${summary.errors} of ${summary.total} calls errored (${(100 * errorRate).toFixed(1)}%), above --max-error-rate ${(100 * inp.maxErrorRate).toFixed(1)}%`,
    );
  }
  let exitCode = 0;
  if (incomplete === 'interrupted') exitCode = inp.interruptExitCode ?? 3;
  else if (incomplete) exitCode = 3;
  else if (thresholds.some((t) => !t.met)) exitCode = 1;
  const m = run.manifest;
  return {
    schemaVersion: 1,
    run: {
      id: run.id,
      status: run.status,
      createdAt: run.createdAt,
      finishedAt: run.finishedAt,
      planned: run.planned,
      stored: summary.total,
      cost: run.cost,
      costUnknown: run.costUnknown,
      suite: m.suite,
      repeats: m.repeats,
      git: m.git,
    },
    summary,
    thresholds,
    retries: inp.retries,
    ...(inp.calls && inp.calls.length > 0 ? { calls: inp.calls } : {}),
    ...(inp.calls && cacheSummary(inp.calls) ? { cacheSummary: cacheSummary(inp.calls) } : {}),
    ...(inp.throttling && inp.throttling.length > 0 ? { throttling: inp.throttling } : {}),
    incomplete,
    exitCode,
    warnings,
    ...(judges && judges.length > 0 ? { judges } : {}),
    ...(structured.length > 0 ? { structured } : {}),
    ...(consistency.length > 0 ? { consistency } : {}),
    ...(techniques.length > 0 ? { techniques } : {}),
  };
}
