import type { TechniqueTable } from '../core/compare/technique-table.ts';
import type { GroupConsistency } from '../core/stats/paraphrase-consistency.ts';
import type { StructuredFunnel } from '../core/stats/structured-funnel.ts';
import type { ResultsSummary } from '../core/stats/summarize-results.ts';
import type { RunRecord } from '../core/types.ts';
import type { ThrottleReport } from '../engine/model-throttle.ts';
import type { CallCounts } from '../engine/run-options.ts';
import type { JudgeCalibration } from '../judges/corrected-pass-rate.ts';

/** Everything `eval` and `runs show` render, in the same shape for text and --json. */
export interface EvalReport {
  schemaVersion: 1;
  run: {
    id: string;
    status: RunRecord['status'];
    createdAt: string;
    finishedAt?: string;
    planned: number;
    stored: number;
    cost: number;
    costUnknown: boolean;
    suite: { name: string; file: string; hash: string; cases: number };
    repeats: number;
    git?: { commit: string; dirty: boolean };
  };
  summary: ResultsSummary;
  /** Per prompt × model: the threshold and whether it was met (absent when no threshold is set). */
  thresholds: {
    prompt: string;
    promptVersion: string;
    modelId: string;
    min: number;
    passRate: number | null;
    met: boolean;
  }[];
  retries?: number;
  /** Target calls per prompt × model this eval: answered from the cache vs sent. */
  calls?: CallCounts[];
  /** "412 of 500 calls answered from the cache: only prompt support@3f2a… changed" (absent: none cached). */
  cacheSummary?: string;
  /** Models that got 429s or backed off, each with its one-line back-off log. */
  throttling?: ThrottleReport[];
  incomplete?: 'interrupted' | 'over-budget' | 'errors';
  exitCode: number;
  /** Problems to read before trusting the numbers. */
  warnings: string[];
  /** The LLM judges this run's checks used, with their validation status against human annotations. */
  judges?: {
    name: string;
    file: string;
    status: 'validated' | 'weak' | 'stale' | 'unvalidated';
    reason: string;
    /** Validated judges only: the judge's pass rate per prompt × model, corrected for its TPR/TNR. */
    calibration?: JudgeCalibration;
  }[];
  /** Per prompt × model whose prompt has an output schema: the structured-output funnel (docs/structured-output.md). */
  structured?: StructuredFunnel[];
  /** Per prompt × model with at least two paraphrase clusters: consistency across paraphrases (docs/statistics.md). */
  consistency?: GroupConsistency[];
  /** Per base prompt × model with technique variants: the technique comparison table (docs/techniques.md). */
  techniques?: TechniqueTable[];
}
