/**
 * Assay's library API. Everything not exported here is internal.
 *
 *   import { evaluate, defineConfig } from 'assay';
 */

export type { CompareRunsOptions, RunComparison, RunComparisonFamily } from './app/compare-runs.ts';
export { compareRunFamily, compareRuns } from './app/compare-runs.ts';
export type { EvaluateOptions, EvaluateResult } from './app/evaluate.ts';
export { estimate, evaluate } from './app/evaluate.ts';
export type { GateOptions, GateResult } from './app/gate.ts';
export { gate } from './app/gate.ts';
// Heavier entry points load their modules on first use, so `import { evaluate } from 'assay'` stays light.
export type { OptimizeOptions, OptimizeResult } from './app/optimize.ts';
export type { Plan, PlanOptions } from './app/plan.ts';
export { plan } from './app/plan.ts';
export type { RedteamOptions } from './app/redteam.ts';
export type { Comparison, Verdict } from './core/compare/comparison.ts';
export type { AssayConfig } from './core/config/define-config.ts';
export { defineConfig } from './core/config/define-config.ts';
export { AssayError, ConfigError } from './core/errors.ts';
export type { GroupSummary, Interval, ResultsSummary } from './core/stats/summarize-results.ts';
export type {
  CaseSpec,
  CheckOutcome,
  CheckOutput,
  CheckSpec,
  PromptSpec,
  ResultRecord,
  RunManifest,
  RunRecord,
  Suite,
} from './core/types.ts';
export type { JudgeCriterion, JudgeKind, JudgeScale, JudgeSpec } from './judges/judge-file.ts';
export { parseJudgeFile } from './judges/judge-file.ts';
export { buildJudgePrompt, buildPairwisePrompt } from './judges/judge-prompt.ts';
export type { JuryVerdict, PairwiseOutcome, PairwiseSummary } from './judges/jury.ts';
export { juryVerdict, resolvePairwise, summarizePairwise } from './judges/jury.ts';
export type { JudgeVerdict, PairwiseVerdict } from './judges/parse-verdict.ts';
export { parsePairwiseVerdict, parseVerdict } from './judges/parse-verdict.ts';
export type {
  HumanAnnotation,
  JudgeItemVerdict,
  ValidateJudgeInput,
  ValidationReport,
  ValidationThresholds,
} from './judges/validate-judge.ts';
export { validateJudge } from './judges/validate-judge.ts';
export type { EnqueueOptions, EnqueueResult } from './queue/enqueue-eval.ts';
export type { WorkerOptions, WorkerSummary } from './queue/run-worker.ts';
export type { RedteamReport } from './redteam/redteam-report.ts';
export type { LoadedPrompt, LoadPromptOptions } from './registry/load-prompt.ts';
export { loadPrompt } from './registry/load-prompt.ts';
export type { EvalReport } from './reporters/eval-report.ts';
export type { AnalyzeSuiteOptions, SuiteStatsReport } from './suites/analyze-suite.ts';
export type { StartUiOptions, UiServer } from './ui/server/start-ui.ts';

/** `assay redteam`: generates the attacks, runs them through the engine, grades and reports ASR. */
export async function redteam(
  options: import('./app/redteam.ts').RedteamOptions = {},
): Promise<import('./redteam/redteam-report.ts').RedteamReport> {
  return (await import('./app/redteam.ts')).redteam(options);
}

/** `assay optimize`: one measured, typed edit at a time on the dev split. */
export async function optimize(
  options: import('./app/optimize.ts').OptimizeOptions,
): Promise<import('./app/optimize.ts').OptimizeResult> {
  return (await import('./app/optimize.ts')).optimize(options);
}

/** `assay suite stats`: coverage, duplicates, split leaks and the detectable effect of a suite. */
export async function suiteStats(
  options: import('./suites/analyze-suite.ts').AnalyzeSuiteOptions,
): Promise<import('./suites/analyze-suite.ts').SuiteStatsReport> {
  return (await import('./suites/analyze-suite.ts')).analyzeSuite(options);
}

/** `assay ui`: the local web app on 127.0.0.1 with a random access token. */
export async function startUi(
  options: import('./ui/server/start-ui.ts').StartUiOptions,
): Promise<import('./ui/server/start-ui.ts').UiServer> {
  return (await import('./ui/server/start-ui.ts')).startUi(options);
}

/** `assay eval --queue`: plans a run and enqueues its items in the team PostgreSQL store. */
export async function enqueueEval(
  options: import('./queue/enqueue-eval.ts').EnqueueOptions = {},
): Promise<import('./queue/enqueue-eval.ts').EnqueueResult> {
  return (await import('./queue/enqueue-eval.ts')).enqueueEval(options);
}

/** `assay worker`: takes queued items of any run, calls the models, writes the results. */
export async function runWorker(
  options: import('./queue/run-worker.ts').WorkerOptions = {},
): Promise<import('./queue/run-worker.ts').WorkerSummary> {
  return (await import('./queue/run-worker.ts')).runWorker(options);
}
