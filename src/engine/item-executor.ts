import type {
  ChatMessage,
  CheckResult,
  CheckServices,
  ErrorKind,
  ToolCall,
  Trajectory,
  Usage,
} from '../core/types.ts';
import type { WorkItem } from './plan-run.ts';

/** One call to the item's target model, as an executor asks for it. */
export interface StepRequest {
  /** The whole transcript so far; the prompt's tools, output schema and settings apply to every step. */
  messages: ChatMessage[];
}

/** The answer of one step. */
export interface StepAnswer {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  latencyMs: number;
  finishReason?: string;
}

/**
 * What one step came to. `cost` is what was spent now (0 for a cached answer), `callCost` what the call
 * costs (a cached answer's price): a `cost` check judges the latter.
 */
export type StepOutcome =
  | {
      kind: 'ok';
      answer: StepAnswer;
      cost: number | null;
      callCost: number | null;
      cached: boolean;
      attempts: number;
    }
  | { kind: 'error'; error: { kind: ErrorKind; message: string }; attempts: number }
  /** The run is stopping (signal or budget): the item is left for resume, nothing is recorded. */
  | { kind: 'stopped' };

/** What the engine lends an executor for one item. */
export interface ExecutorContext {
  item: WorkItem;
  /** The case rendered with the prompt: the first request. */
  messages: ChatMessage[];
  /**
   * One call to the target, with the engine's cache (each step is cached by its own messages, so a rerun
   * or a resume replays a whole trajectory from the cache), retries, timeout and budget.
   */
  step(request: StepRequest): Promise<StepOutcome>;
  /** Calls to other models (a simulated user, judges), cached and budgeted the same way. */
  services: CheckServices;
  /** Aborted when the run stops. */
  signal: AbortSignal;
}

/** The end of a multi-step item. */
export type ExecutionResult =
  | {
      kind: 'ok';
      /** The final answer, the one the case's checks judge; usage and latency summed over the steps. */
      answer: StepAnswer;
      trajectory: Trajectory;
      /** Spent now, summed over the steps (null when any step's price is unknown). */
      cost: number | null;
      /** What the steps cost, cached ones included. */
      callCost: number | null;
      /** Every step came from the cache. */
      cached: boolean;
      attempts: number;
      /** Checks the executor ran on the way (e.g. per-turn checks), kept beside the case's checks. */
      stepChecks?: CheckResult[];
    }
  | {
      kind: 'error';
      error: { kind: ErrorKind; message: string };
      attempts: number;
      /** The steps made before the error, kept for diagnosis. */
      trajectory?: Trajectory;
      cost: number | null;
    }
  | { kind: 'stopped' };

/**
 * Runs an item that takes more than one call — an agent loop, a conversation. The engine picks the first
 * executor that `handles` an item; items no executor handles are one call, as before.
 */
export interface ItemExecutor {
  readonly name: string;
  handles(item: WorkItem): boolean;
  run(ctx: ExecutorContext): Promise<ExecutionResult>;
}

/** Sums costs where null (unknown) wins. */
export function addCost(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : a + b;
}
