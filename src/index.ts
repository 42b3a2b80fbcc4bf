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
export type { Plan, PlanOptions } from './app/plan.ts';
export { plan } from './app/plan.ts';
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
export type { LoadedPrompt, LoadPromptOptions } from './registry/load-prompt.ts';
export { loadPrompt } from './registry/load-prompt.ts';
export type { EvalReport } from './reporters/eval-report.ts';
