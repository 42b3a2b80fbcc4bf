import type { CheckResult, ResultStatus } from '../core/types.ts';
import type { DiffSegment } from './word-diff.ts';

/** The JSON shapes of the `assay ui` API (docs/ui.md): what the server sends, the front end reads. */

export interface IntervalRow {
  estimate: number;
  lower: number;
  upper: number;
}

export interface RunRow {
  id: string;
  suite: string;
  status: string;
  startedAt: string;
  finishedAt?: string;
  prompts: { name: string; version: string }[];
  models: string[];
  total: number;
  passed: number;
  failed: number;
  errors: number;
  passRate: IntervalRow | null;
  cost: number | null;
  split?: string;
}

export type CheckRow = Pick<CheckResult, 'type' | 'name' | 'pass' | 'score' | 'reason' | 'error'>;

export interface ResultRow {
  index: number;
  caseId: string;
  promptName: string;
  promptVersion: string;
  modelId: string;
  repeat: number;
  status: ResultStatus;
  input: string;
  output: string;
  outputTruncated: boolean;
  checks: CheckRow[];
  latencyMs?: number;
  cost?: number | null;
  error?: string;
}

export type CompareKind = 'regressed' | 'improved' | 'flaky' | 'unchanged-pass' | 'unchanged-fail' | 'error';

export interface CompareCase {
  kind: CompareKind;
  caseId: string;
  modelId: string;
  a: { status: ResultStatus | 'missing'; output: string };
  b: { status: ResultStatus | 'missing'; output: string };
  diff: DiffSegment[];
}

export interface PromptVersionRow {
  version: string;
  createdAt: string;
  message?: string;
  author?: string;
  labels: string[];
}

export interface PromptRow {
  name: string;
  versions: PromptVersionRow[];
}
