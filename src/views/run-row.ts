import { wilsonInterval } from '../core/stats/wilson.ts';
import type { RunRecord } from '../core/types.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import type { IntervalRow, RunRow } from './ui-api-types.ts';

/**
 * A run as the runs list shows it. The pass rate is the group's own (the interval `assay eval` prints)
 * when the run holds one prompt × model; over several groups it is the Wilson interval of all scored
 * results, errors left out — and null with repeats, where results of a case are not independent (the run
 * detail has each group's interval). Cost is null when some price was unknown.
 */
export function runRow(run: RunRecord, report: Pick<EvalReport, 'summary'>): RunRow {
  const groups = report.summary.groups;
  const passed = groups.reduce((s, g) => s + g.passed, 0);
  const failed = groups.reduce((s, g) => s + g.failed, 0);
  let passRate: IntervalRow | null = null;
  if (groups.length === 1 && groups[0]?.passRate) {
    const p = groups[0].passRate;
    passRate = { estimate: p.estimate, lower: p.lower, upper: p.upper };
  } else if (passed + failed > 0 && run.manifest.repeats <= 1) {
    const w = wilsonInterval(passed, passed + failed);
    passRate = { estimate: passed / (passed + failed), lower: w.lower, upper: w.upper };
  }
  return {
    id: run.id,
    suite: run.manifest.suite.name,
    status: run.status,
    startedAt: run.createdAt,
    ...(run.finishedAt !== undefined ? { finishedAt: run.finishedAt } : {}),
    prompts: run.manifest.prompts.map((p) => ({ name: p.name, version: p.version })),
    models: run.manifest.models.map((m) => m.id),
    total: report.summary.total,
    passed,
    failed,
    errors: report.summary.errors,
    passRate,
    cost: run.costUnknown ? null : run.cost,
  };
}
