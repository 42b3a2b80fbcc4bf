import type { Annotation } from '../annotations/annotation.ts';
import type { ResultRecord, RunManifest, RunRecord, RunStatus } from '../core/types.ts';

export interface CachedResponse {
  text: string;
  toolCalls: unknown[];
  usage: Record<string, number | undefined>;
  latencyMs: number;
  finishReason?: string;
  /** Token log-probabilities, kept when the call asked for them (probability-weighted judges). */
  logprobs?: { token: string; logprob: number; top: { token: string; logprob: number }[] }[];
  /** USD the call cost as the adapter reported it (targets with a per-call `price`). */
  cost?: number;
}

export interface CacheEntry {
  key: string;
  value: CachedResponse;
}

/** One evaluated version of a prompt. Immutable once recorded: the first write of (name, version) wins. */
export interface PromptVersionRecord {
  name: string;
  /** Content hash (PromptSpec.version). */
  version: string;
  /** Project-relative path of the file it was read from. */
  file: string;
  /** The prompt file's full text as evaluated, so the version can be rebuilt after the file moved on. */
  source: string;
  /** The version of the same prompt recorded just before this one, if any. */
  parent?: string;
  author?: string;
  gitCommit?: string;
  /** Why this change (a hypothesis), when given. */
  message?: string;
  createdAt: string;
}

/** A label moved to a version (the labels file is the truth; the store keeps the history). */
export interface LabelEvent {
  name: string;
  label: string;
  version: string;
  /** The version the label pointed at before, if any. */
  previous?: string;
  movedAt: string;
  author?: string;
  message?: string;
}

/** An annotation as the store mirrors it: the file's record and the suite whose file it was read from. */
export interface StoredAnnotation extends Annotation {
  suite: string;
}

export interface AnnotationFilter {
  suite?: string;
  /** The output's annotation key. */
  key?: string;
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
  /** Records a prompt version; a second write of the same (name, version) changes nothing. */
  putPromptVersion(version: PromptVersionRecord): Promise<void>;
  /** By full version or unique prefix (≥ 4 characters); ambiguous → AssayError exit 2. */
  getPromptVersion(name: string, version: string): Promise<PromptVersionRecord | undefined>;
  /** Newest first; every prompt name when `name` is omitted. */
  listPromptVersions(name?: string): Promise<PromptVersionRecord[]>;
  /** Appends a label move; writing the same event twice keeps one (idempotent, for `db push`). */
  recordLabelEvent(event: LabelEvent): Promise<void>;
  /** Newest first, for one prompt (and one label when given); every prompt when `name` is omitted. */
  labelHistory(name?: string, label?: string): Promise<LabelEvent[]>;
  /**
   * Mirrors a suite's annotation records (the annotations file stays the truth), in one transaction.
   * A record already stored for the suite (identical in every field) is skipped, so mirroring a whole
   * file again is a no-op. Returns how many records were new. A record with an unparseable `at`, an
   * unknown verdict or a non-finite score is refused (AssayError exit 2) and nothing is stored.
   */
  mirrorAnnotations(suite: string, records: readonly Annotation[]): Promise<number>;
  /** Stored annotations, oldest `at` first (then in the order they were stored), filtered when asked. */
  listAnnotations(filter?: AnnotationFilter): Promise<StoredAnnotation[]>;
  close(): Promise<void>;
}

export function resultKey(r: Pick<ResultRecord, 'promptVersion' | 'modelId' | 'caseId' | 'repeat'>): string {
  return `${r.promptVersion}\u0000${r.modelId}\u0000${r.caseId}\u0000${r.repeat}`;
}
