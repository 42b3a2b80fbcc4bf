import type { ResultRecord, RunRecord } from '../core/types.ts';
import type { LabelEvent, Store, StoredAnnotation } from '../store/store.ts';

export interface DbPushProgress {
  /** The run being copied, its place in the push (1-based) and how many runs there are. */
  run: string;
  index: number;
  total: number;
  /** Results of this run written so far, and skipped when the run was already complete in the target. */
  results: number;
  skipped: boolean;
}

export interface DbPushOptions {
  from: Store;
  to: Store;
  onProgress?: (progress: DbPushProgress) => void;
  /** Results per write (one transaction each). Default 500. */
  batchSize?: number;
}

export interface DbPushResult {
  runs: { copied: number; skipped: number };
  /** Results written to the target. */
  results: number;
  /** Prompt versions and label events the target did not have. */
  promptVersions: number;
  labelEvents: number;
  /** Annotation records (every suite) the target did not have. */
  annotations: number;
}

/**
 * `assay db push`: copies a store's runs (with their results and status), prompt versions, label
 * history and mirrored annotations into another store, through the Store port only (SQLite → PostgreSQL, SQLite → SQLite).
 * Idempotent: a run already complete in the target (same status, as many results) is skipped; a run
 * present with fewer results is completed (writeResults replaces a result of the same key, and the
 * target recomputes the run's cost from what it holds). Runs go oldest first, so `latest` stays the
 * newest run. The response cache stays local: it is a per-machine speed-up, not a record.
 */
export async function dbPush(options: DbPushOptions): Promise<DbPushResult> {
  const { from, to } = options;
  const batchSize = options.batchSize ?? 500;
  const out: DbPushResult = {
    runs: { copied: 0, skipped: 0 },
    results: 0,
    promptVersions: 0,
    labelEvents: 0,
    annotations: 0,
  };

  // Versions first: a run refers to them, and parents precede children (oldest first).
  const versions = (await from.listPromptVersions()).reverse();
  for (const v of versions) {
    if (await to.getPromptVersion(v.name, v.version).then((t) => t?.version === v.version)) continue;
    await to.putPromptVersion(v);
    out.promptVersions++;
  }

  const runs: RunRecord[] = (await from.listRuns()).reverse();
  for (const [i, run] of runs.entries()) {
    const index = i + 1;
    const total = runs.length;
    const present = await to.getRun(run.id);
    const sourceCount = await from.countResults(run.id);
    if (present && present.status === run.status && (await to.countResults(run.id)) >= sourceCount) {
      out.runs.skipped++;
      options.onProgress?.({ run: run.id, index, total, results: 0, skipped: true });
      continue;
    }
    if (!present) await to.createRun({ id: run.id, manifest: run.manifest, planned: run.planned });
    let written = 0;
    let batch: ResultRecord[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await to.writeResults(batch);
      written += batch.length;
      batch = [];
      options.onProgress?.({ run: run.id, index, total, results: written, skipped: false });
    };
    for await (const r of from.iterateResults(run.id)) {
      batch.push(r);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
    if ((present?.status ?? 'running') !== run.status) await to.setRunStatus(run.id, run.status);
    out.results += written;
    out.runs.copied++;
    if (written === 0) options.onProgress?.({ run: run.id, index, total, results: 0, skipped: false });
  }

  const events = (await from.labelHistory()).reverse();
  const have = new Set((await to.labelHistory()).map(eventKey));
  for (const e of events) {
    const key = eventKey(e);
    if (have.has(key)) continue;
    await to.recordLabelEvent(e);
    have.add(key);
    out.labelEvents++;
  }

  // Oldest first, so the target stores them in the order they were made; mirroring skips what it has.
  const bySuite = new Map<string, StoredAnnotation[]>();
  for (const a of await from.listAnnotations()) {
    const list = bySuite.get(a.suite) ?? [];
    list.push(a);
    bySuite.set(a.suite, list);
  }
  for (const [suite, records] of bySuite)
    for (let start = 0; start < records.length; start += batchSize)
      out.annotations += await to.mirrorAnnotations(
        suite,
        records.slice(start, start + batchSize).map(({ suite: _, ...a }) => a),
      );
  return out;
}

function eventKey(e: LabelEvent): string {
  return [e.name, e.label, e.version, e.movedAt].join('\u0000');
}
