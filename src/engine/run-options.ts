import type { ModelConfig, Project } from '../core/config/project.ts';
import type { ResultRecord, RunRecord } from '../core/types.ts';
import type { ModelPort } from '../models/model-port.ts';
import type { PriceTable } from '../models/price-table.ts';
import type { Store } from '../store/store.ts';
import type { Budget } from './budget.ts';
import type { ItemExecutor } from './item-executor.ts';
import type { ThrottleReport } from './model-throttle.ts';

/** What `eval` (CLI) and `evaluate` (library) ask the engine to do. */
export interface RunOptions {
  project: Project;
  store: Store;
  /** Resolves a configured model id to a port (the model registry). */
  resolveModel: (id: string) => ModelPort;
  /** Multi-step items (agent loops, conversations); default: `defaultExecutors`. */
  executors?: readonly ItemExecutor[];
  /** Restrict to these prompt names / model ids / suite names (default: all). */
  prompts?: string[];
  models?: string[];
  /** The suite this run evaluates (one run = one suite; the CLI loops over suites). Default: the first. */
  suite?: string;
  /** Only cases whose split / category / tags match (optional filters). */
  filter?: { split?: 'dev' | 'test'; category?: string; tag?: string; caseIds?: string[] };
  repeats?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  /** Hard USD cap for the whole run; no call starts once spent + reserved ≥ cap. */
  maxCost?: number;
  /**
   * The command's one budget, shared by every run it starts (several suites, later judges): when given it
   * is used instead of a budget made from `maxCost` (whose value should match its cap), and a resumed
   * run's earlier spend is recorded into it.
   */
  budget?: Budget;
  cache?: boolean;
  /** Resume this run id: only results not yet stored are produced. */
  resume?: string;
  /**
   * Aborting stops new calls and retries, lets the attempts in flight finish (within their timeout, or
   * `drainTimeoutMs`) and writes their results, marks the run interrupted. See docs/engine.md.
   */
  signal?: AbortSignal;
  /**
   * After `signal` aborts, in-flight calls still running after this many ms are aborted and not written
   * (they are redone on resume). Default: no limit beyond each call's own timeout. 0 = abort at once.
   */
  drainTimeoutMs?: number;
  /** Aborting (after `signal`) aborts the calls still in flight at once; they are redone on resume. */
  force?: AbortSignal;
  /** Configured models that checks call (judges) besides the run's targets (default: none). */
  checkModels?: ModelConfig[];
  /** Prices (default: the bundled catalog plus `project.pricesFile`). */
  priceTable?: PriceTable;
  /** Backoff tuning (tests): base and cap in ms, the longest Retry-After honoured, the jitter source. */
  retry?: { baseMs?: number; capMs?: number; maxRetryAfterMs?: number; random?: () => number };
  onProgress?: (p: Progress) => void;
  /** Called for each result as it is stored. */
  onResult?: (r: ResultRecord) => void;
}

export interface Progress {
  runId: string;
  planned: number;
  done: number;
  errors: number;
  cached: number;
  /** Known spend so far, USD. */
  cost: number;
  costUnknown: boolean;
  elapsedMs: number;
  retries: number;
  /** Calls held back now by a rate limit, the Retry-After gate or a reduced concurrency. */
  throttled?: number;
  /** 429 answers seen so far (all models). */
  rateLimited?: number;
  /** Models whose allowed calls in flight are below their configured concurrency now (AIMD back-off). */
  concurrency?: { modelId: string; current: number; max: number }[];
}

/** Calls of one prompt × model in a run: answered from the cache, or sent. */
export interface CallCounts {
  prompt: string;
  promptVersion: string;
  modelId: string;
  cached: number;
  fresh: number;
}

export interface RunOutcome {
  run: RunRecord;
  /** Why the run is not complete, if it is not. */
  incomplete?: 'interrupted' | 'over-budget';
  retries: number;
  requests: number;
  /** Target calls per prompt × model, cached vs sent (this session; check calls not included). */
  calls?: CallCounts[];
  /** Models that got 429s or backed off, with the one-line log of each back-off decision. */
  throttling?: ThrottleReport[];
}

/** `--dry-run`: what a run would send and cost, without sending anything. */
export interface DryRunEstimate {
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  /** Output tokens estimated from settings.maxTokens or a default, stated in `assumptions`. */
  outputTokens: number;
  /** USD; null when any model's price is unknown. */
  cost: number | null;
  perModel: {
    modelId: string;
    calls: number;
    inputTokens: number;
    outputTokens: number;
    cost: number | null;
  }[];
  /**
   * Calls the run's LLM judge checks would make, per judge model (also counted in the totals above): one
   * per planned result per judge check. Absent when no check is a judge.
   */
  judgeCalls?: {
    modelId: string;
    /** Names of the judges that call this model. */
    judges: string[];
    calls: number;
    cachedCalls: number;
    inputTokens: number;
    outputTokens: number;
    cost: number | null;
  }[];
  assumptions: string[];
}
