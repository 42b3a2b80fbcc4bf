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
export type { LoadedPrompt, LoadPromptOptions } from './registry/load-prompt.ts';
export { loadPrompt } from './registry/load-prompt.ts';
export type { EvalReport } from './reporters/eval-report.ts';
