import type { ComparedJudge } from '../app/compare-runs.ts';
import type { Comparison } from '../core/compare/comparison.ts';
import type { ResultStatus, RunManifest } from '../core/types.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import type { FlakinessBin } from '../views/flakiness-histogram.ts';
import type { TrajectorySummary } from '../views/trajectory-summary.ts';
import type { DiffSegment } from '../views/word-diff.ts';

/** One result embedded in the report (a bounded excerpt; the full record is in the JSONL beside it). */
export interface EmbeddedCase {
  runId: string;
  caseId: string;
  prompt: string;
  promptVersion: string;
  modelId: string;
  repeat: number;
  status: ResultStatus;
  category?: string;
  /** The case's vars as short text, when the project's suite still matches the run's suite hash. */
  input?: string;
  output: string;
  /** Length of the full output (more than `output.length` when the excerpt was cut). */
  outputChars: number;
  /** Checks that did not pass (name or type, reason, and the check's own error if it broke). */
  failedChecks: { name: string; reason: string; error?: string }[];
  error?: string;
  latencyMs?: number;
  cost: number | null;
  /** Agent loops and conversations: the steps, cut down (see summarizeTrajectory). */
  trajectory?: TrajectorySummary;
}

/** A case whose status flipped between the baseline and this run, with both outputs and their word diff. */
export interface FlipCase {
  kind: 'regressed' | 'improved';
  caseId: string;
  protected: boolean;
  /** Per-case pass rates (0 or 1 without repeats). */
  from: number;
  to: number;
  /** `prompt × model` of the candidate side. */
  group: string;
  baseline?: { status: ResultStatus; output: string; outputChars: number };
  candidate?: { status: ResultStatus; output: string; outputChars: number };
  diff: DiffSegment[];
}

/** Everything `assay report` renders, HTML and Markdown alike. Built by collectReportData; rendered purely. */
export interface ReportData {
  schemaVersion: 1;
  generatedAt: string;
  assayVersion: string;
  report: EvalReport;
  manifest: RunManifest;
  cases: {
    /** Failed and errored first, then the sampled passes. */
    embedded: EmbeddedCase[];
    total: number;
    passed: number;
    failed: number;
    errors: number;
    /** How many of each status are embedded (before the renderer's size budget). */
    embeddedFailed: number;
    embeddedErrors: number;
    embeddedPassed: number;
    sampleSeed: number;
  };
  /** Per prompt × model with repeats: cases binned by per-case pass rate. */
  flakiness: { group: string; repeats: number; bins: FlakinessBin[] }[];
  comparison?: {
    baselineRun: {
      id: string;
      createdAt: string;
      suite: RunManifest['suite'];
      prompts: RunManifest['prompts'];
    };
    /** One comparison per prompt × model pair, by metric (score absent when it could not be computed). */
    pass: Comparison[];
    score: Comparison[];
    flips: FlipCase[];
    /** Flips of every pair, before the cap on embedded flips. */
    flipsTotal: number;
    warnings: string[];
    /** The LLM judges the compared runs' checks used: status in this project, versions per run. */
    judges?: ComparedJudge[];
  };
  /** The JSONL file with every result, relative to the report (its base name). */
  resultsFile?: string;
}
