import type { ChatMessage } from '../core/types.ts';
import type { DevDecision, StepVerdict } from './acceptance.ts';
import type { GuardViolation } from './edit-guards.ts';
import type { PromptEdit } from './prompt-edit.ts';

/** A pass rate with its 95% interval over n cases. */
export interface RateWithInterval {
  estimate: number;
  lower: number;
  upper: number;
  n: number;
}

export interface OptimizeEstimate {
  /** Calls, tokens and USD of one full dev evaluation (every case × repeats) and of one test-split look. */
  devCalls: number;
  testCalls: number;
  /** Per hypothesis: one proposer call, a probe and a full dev evaluation (an upper bound). */
  perHypothesis: { calls: number; inputTokens: number; outputTokens: number; cost: number | null };
  total: { calls: number; inputTokens: number; outputTokens: number; cost: number | null };
  /** How many hypotheses the --max-cost cap affords after the baseline and the test looks (null: no cap). */
  hypothesesAffordable: number | null;
}

/** One metered role of the run. */
export interface Spend {
  calls: number;
  cached: number;
  cost: number;
}

export interface StepRecord {
  type: 'step';
  at: string;
  step: number;
  proposer: 'model' | 'person';
  cluster: { signature: string; caseIds: string[] };
  diagnosis: string;
  evidence: string[];
  hypothesis: string;
  edit?: PromptEdit;
  editText: string;
  /** Predicted effect: the cases the hypothesis says the edit fixes. */
  predicted: string[];
  verdict: StepVerdict;
  why: string;
  guards?: GuardViolation[];
  probe?: { fixed: string[]; cases: { id: string; passes: number; n: number }[] };
  /** Measured effect on the dev split. */
  measured?: Omit<DevDecision, 'verdict' | 'why'>;
  /** The version the step registered (accepted steps). */
  version?: string;
  diff?: string[];
  /** This step's test number in the alpha spending (when it reached the paired test). */
  test?: number;
}

/**
 * The experiment log: one JSON object per line, appended, never rewritten. `step` records carry
 * hypothesis → edit → predicted effect → measured effect with interval → verdict and why.
 */
export type LogRecord =
  | {
      type: 'start';
      at: string;
      schema: 1;
      prompt: string;
      file: string;
      version: string;
      suite: string;
      model: string;
      proposer: string;
      repeats: number;
      alpha: number;
      devCases: number;
      testCases: number;
      protected: string[];
      estimate: OptimizeEstimate;
      warnings: string[];
    }
  | { type: 'resume'; at: string; step: number }
  | {
      type: 'baseline';
      at: string;
      version: string;
      passAt1: RateWithInterval;
      cases: { id: string; passes: number; n: number; errors: number }[];
    }
  | { type: 'proposer-request'; at: string; step: number; model: string; messages: ChatMessage[] }
  | StepRecord
  | {
      type: 'test-look';
      at: string;
      look: number;
      version: string;
      role: 'initial' | 'final';
      passAt1: RateWithInterval;
      cases: { id: string; passes: number; n: number }[];
    }
  | {
      type: 'final';
      at: string;
      verdict: 'kept' | 'vetoed' | 'unchanged' | 'unconfirmed';
      why: string;
      version: string;
    }
  | {
      type: 'end';
      at: string;
      stopReason: string;
      initialVersion: string;
      finalVersion: string;
      accepted: number;
      tried: number;
      testLooks: number;
      spend: { target: Spend; judge: Spend; proposer: Spend; total: number };
    };

export function logLine(r: LogRecord): string {
  return `${JSON.stringify(r)}\n`;
}

/** Reads a log's text back into records (a torn last line from a crash is skipped). */
export function parseLog(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as LogRecord);
    } catch {
      // an interrupted append: the step is redone on resume
    }
  }
  return out;
}
