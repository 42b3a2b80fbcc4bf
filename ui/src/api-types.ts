/**
 * The JSON shapes of the `assay ui` API (docs/ui.md). The rows the server builds come from its own type
 * file (type-only imports: nothing of the server is bundled), so a change there breaks this build; the
 * rest is the part of the stored records the views read.
 */
import type { ResultRow, RunRow } from '../../src/views/ui-api-types.ts';

export type {
  CheckRow,
  CompareCase,
  CompareKind,
  PromptRow,
  PromptVersionRow,
  ResultRow,
  RunRow,
} from '../../src/views/ui-api-types.ts';
export type { DiffSegment } from '../../src/views/word-diff.ts';
export type ResultStatus = ResultRow['status'];

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface ResultsPage {
  total: number;
  offset: number;
  rows: ResultRow[];
}

export interface JudgeValidation {
  judge: string;
  judgeVersion: string;
  judgeModel: string;
  status: 'validated' | 'weak';
  kappa: number | null;
  tpr: number | null;
  tnr: number | null;
  n: number;
  confusion?: {
    truePositives: number;
    humanPositives: number;
    trueNegatives: number;
    humanNegatives: number;
  };
  validatedAt: string;
}

export interface JudgeRow {
  file: string;
  name: string;
  version: string;
  model: string;
  kind: string;
  scale: string;
  status: string;
  reason: string;
  validation?: JudgeValidation;
}

export interface GroupSummary {
  prompt: string;
  promptVersion: string;
  modelId: string;
  total: number;
  scored: number;
  passed: number;
  failed: number;
  errors: number;
  passRate: (Interval & { method?: string }) | null;
  latency: { mean: number; p50: number; p95: number } | null;
  cost: number;
  costUnknown: boolean;
}

export interface RunDetail {
  run: RunRow;
  manifest: {
    project?: string;
    suite?: { name: string; file: string; hash: string; cases: number };
    repeats?: number;
    seed?: number;
    git?: { commit: string; dirty: boolean };
    models?: { id: string }[];
  };
  report: {
    summary?: { groups: GroupSummary[]; total: number; errors: number; warnings: string[] };
    warnings?: string[];
    thresholds?: { prompt: string; modelId: string; min: number; passRate: number | null; met: boolean }[];
  };
  judges: JudgeRow[];
}

export interface ComparisonSide {
  runId: string;
  prompt: string;
  promptVersion: string;
  modelId: string;
  passRate: (Interval & { passed: number; n: number; method: string }) | null;
}

export interface Comparison {
  metric: string;
  baseline: ComparisonSide;
  candidate: ComparisonSide;
  pairing: {
    paired: number;
    onlyInBaseline: string[];
    onlyInCandidate: string[];
    errored: { caseId: string; side: string }[];
  };
  table: { bothPass: number; baselineOnly: number; candidateOnly: number; bothFail: number } | null;
  difference: Interval & { confidence: number; method: string };
  p: number;
  pAdjusted: number;
  family: number;
  test: string;
  flips: { caseId: string; kind: string; protected: boolean }[];
  verdict: string;
  alpha: number;
  mde: number | null;
  power: number;
  warnings: string[];
}

export interface ComparisonJson {
  family: number;
  adjustment: string;
  warnings: string[];
  comparisons: Comparison[];
}

export interface PromptDiffSection {
  section: string;
  lines: string[];
}

export interface AnnotationRow {
  annotator: string;
  verdict?: 'pass' | 'fail';
  score?: number;
  note?: string;
  at: string;
}

export interface AnnotateItem {
  key: string;
  caseId: string;
  promptVersion: string;
  modelId: string;
  input: string;
  output: string;
  annotations: AnnotationRow[];
}
