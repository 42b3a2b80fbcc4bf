import type { ResultRecord, RunManifest, RunRecord, RunStatus } from '../core/types.ts';

export interface CachedResponse {
  text: string;
  toolCalls: unknown[];
  usage: Record<string, number | undefined>;
  latencyMs: number;
  finishReason?: string;
}

export interface CacheEntry {
  key: string;
  value: CachedResponse;
}

export interface ListRunsOptions {
  limit?: number;
}

/**
 * The run store port. SQLite now, PostgreSQL later: both must pass test/store-conformance. Async so a
 * networked implementation fits; results are written in batches as they arrive.
 */
export interface Store {
  createRun(run: { id: string; manifest: RunManifest; planned: number }): Promise<RunRecord>;
  getRun(id: string): Promise<RunRecord | undefined>;
  /** Most recent first. `id` may be a unique prefix in getRun callers; see findRun. */
  listRuns(options?: ListRunsOptions): Promise<RunRecord[]>;
  /** Resolves a full id, a unique prefix, `latest`, or `latest~N` (the N-th run before the latest). */
  findRun(idOrPrefix: string): Promise<RunRecord | undefined>;
  setRunStatus(id: string, status: RunStatus): Promise<void>;
  /**
   * Idempotent on (runId, prompt version, model, case, repeat): a re-written result replaces the old one.
   * `cache` entries are stored in the same transaction: a response is cached exactly when its result is.
   */
  writeResults(results: ResultRecord[], cache?: CacheEntry[]): Promise<void>;
  /**
   * Keys `promptVersion\u0000modelId\u0000caseId\u0000repeat` of results already stored (for resume).
   * `exceptErrors` leaves out errored results, so a resume tries those calls again.
   */
  completedKeys(runId: string, options?: { exceptErrors?: boolean }): Promise<Set<string>>;
  /** Streams results in insertion order without loading the run into memory. */
  iterateResults(runId: string): AsyncIterable<ResultRecord>;
  countResults(runId: string): Promise<number>;
  /** Response cache, content-addressed by a key that never contains secrets. */
  getCached(key: string): Promise<CachedResponse | undefined>;
  putCached(key: string, value: CachedResponse): Promise<void>;
  close(): Promise<void>;
}

export function resultKey(r: Pick<ResultRecord, 'promptVersion' | 'modelId' | 'caseId' | 'repeat'>): string {
  return `${r.promptVersion}\u0000${r.modelId}\u0000${r.caseId}\u0000${r.repeat}`;
}
