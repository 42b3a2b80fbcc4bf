import { resolve } from 'node:path';
import type { SQLInputValue } from 'node:sqlite';
import { AssayError } from '../../core/errors.ts';
import type { ResultRecord, RunRecord, RunStatus } from '../../core/types.ts';
import {
  type AnnotationRow,
  annotationColumns,
  annotationFromRow,
  annotationToRow,
} from '../annotation-row.ts';
import {
  type CachedResponse,
  type CacheEntry,
  type LabelEvent,
  type ListRunsOptions,
  type PromptVersionRecord,
  resultKey,
  type Store,
} from '../store.ts';
import { type LabelEventRow, labelEventFromRow } from './label-event-row.ts';
import { isMemoryPath, openDatabase } from './open-database.ts';
import { type PromptVersionRow, promptVersionFromRow } from './prompt-version-row.ts';
import { type ResultRow, resultColumns, resultFromRow, resultSelectList, resultToRow } from './result-row.ts';
import { type RunRow, runFromRow } from './run-row.ts';
import { isBusy, keepUnsaved, recoverUnsaved, storeWriteError, unsavedPath } from './unsaved-batches.ts';

/** The run store on an embedded SQLite file (or `:memory:`). */
export interface SqliteStore extends Store {
  /** Absolute path of the database file, or `:memory:`. */
  readonly path: string;
  /** Schema version of the open database. */
  readonly schemaVersion: number;
}

/** Shortest prefix `findRun` accepts, so that a typo does not silently pick some run. */
const minPrefix = 4;
/** Candidates named when a prefix is ambiguous. */
const maxCandidates = 10;

const resultSelect = `SELECT ${resultSelectList} FROM results`;

/** SQLite keeps any text as is, and flags as 0/1. */
const sqliteCodec = { encode: (s: string) => s, decode: (s: string) => s, flag: (b: boolean) => (b ? 1 : 0) };

/** What a result spent, for the run's total: a cached result spent nothing; an unknown price adds 0. */
function spent(cached: boolean, cost: number | null): number {
  return cached ? 0 : (cost ?? 0);
}

/**
 * Opens the run store at `path` (creating the file and its folder, migrating the schema). Writes are
 * transactions: a batch of results is stored entirely or not at all, even if the process dies mid-batch.
 * The API is synchronous underneath (node:sqlite) and async on the outside, to match PostgreSQL.
 */
export function openSqliteStore(path: string): SqliteStore {
  const { db, schemaVersion } = openDatabase(path);
  const file = isMemoryPath(path) ? ':memory:' : resolve(path);

  const insertRun = db.prepare(
    `INSERT INTO runs (id, status, manifest, planned, created_at, finished_at, cost, cost_unknown)
     VALUES (?, 'running', ?, ?, ?, NULL, 0, 0)`,
  );
  const selectRun = db.prepare('SELECT * FROM runs WHERE id = ?');
  const selectRuns = db.prepare('SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const selectRunsByPrefix = db.prepare(
    'SELECT * FROM runs WHERE substr(id, 1, length(?)) = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const updateRunStatus = db.prepare(
    `UPDATE runs SET status = ?, finished_at = CASE WHEN ? = 'running' THEN NULL ELSE ? END WHERE id = ?`,
  );
  const runExists = db.prepare('SELECT 1 AS found FROM runs WHERE id = ?');
  const upsertResult = db.prepare(
    `INSERT INTO results (${resultColumns.join(', ')}) VALUES (${resultColumns.map(() => '?').join(', ')})
     ON CONFLICT (run_id, prompt_version, model_id, case_id, repeat) DO UPDATE SET
     ${resultColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
  );
  const selectPrevious = db.prepare(
    `SELECT cost, cached FROM results
     WHERE run_id = ? AND prompt_version = ? AND model_id = ? AND case_id = ? AND repeat = ?`,
  );
  const updateRunCost = db.prepare(
    `UPDATE runs SET cost = cost + ?,
       cost_unknown = EXISTS (SELECT 1 FROM results WHERE run_id = ? AND cost IS NULL AND cached = 0)
     WHERE id = ?`,
  );
  const selectKeys = db.prepare(
    'SELECT prompt_version, model_id, case_id, repeat FROM results WHERE run_id = ?',
  );
  const selectKeysExceptErrors = db.prepare(
    "SELECT prompt_version, model_id, case_id, repeat FROM results WHERE run_id = ? AND status <> 'error'",
  );
  const countStmt = db.prepare('SELECT count(*) AS n FROM results WHERE run_id = ?');
  const selectCached = db.prepare('SELECT value FROM cache WHERE key = ?');
  const upsertCached = db.prepare(
    `INSERT INTO cache (key, value, created_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
  );

  const insertPromptVersion = db.prepare(
    `INSERT INTO prompt_versions (name, version, file, source, parent, author, git_commit, message, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name, version) DO NOTHING`,
  );
  const selectPromptVersion = db.prepare('SELECT * FROM prompt_versions WHERE name = ? AND version = ?');
  const selectPromptVersionsByPrefix = db.prepare(
    `SELECT * FROM prompt_versions WHERE name = ? AND substr(version, 1, length(?)) = ?
     ORDER BY created_at DESC, rowid DESC LIMIT ?`,
  );
  const selectPromptVersions = db.prepare(
    'SELECT * FROM prompt_versions WHERE name = ? ORDER BY created_at DESC, rowid DESC',
  );
  const selectAllPromptVersions = db.prepare(
    'SELECT * FROM prompt_versions ORDER BY created_at DESC, rowid DESC',
  );
  const insertLabelEvent = db.prepare(
    `INSERT INTO label_events (name, label, version, previous, moved_at, author, message)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name, label, moved_at, version) DO NOTHING`,
  );
  const selectLabelEvents = db.prepare(
    `SELECT * FROM label_events WHERE (? IS NULL OR name = ?) AND (? IS NULL OR label = ?)
     ORDER BY moved_at DESC, rowid DESC`,
  );
  const insertAnnotation = db.prepare(
    `INSERT INTO annotations (${annotationColumns.join(', ')})
     VALUES (${annotationColumns.map(() => '?').join(', ')}) ON CONFLICT (suite, record_hash) DO NOTHING`,
  );
  const selectAnnotations = db.prepare(
    // Note as bytes: Node 22's node:sqlite cuts TEXT at a NUL character (as for result outputs).
    `SELECT *, CAST(note AS BLOB) AS note_bytes FROM annotations WHERE (? IS NULL OR suite = ?) AND (? IS NULL OR key = ?) ORDER BY at_ms, seq`,
  );

  let closed = false;

  function transaction(work: () => void): void {
    db.exec('BEGIN IMMEDIATE');
    try {
      work();
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }

  /** One transaction: the results, the runs' costs and the cache entries, all or nothing. */
  function writeBatch(
    results: ResultRecord[],
    rows: SQLInputValue[][],
    cacheRows: (readonly [string, string])[],
    now: string,
    runIds: string[],
  ): void {
    transaction(() => {
      for (const runId of runIds)
        if (!runExists.get(runId))
          throw new AssayError(`cannot write results: no run ${runId} in ${file}`, 2);
      const delta = new Map<string, number>();
      for (let i = 0; i < results.length; i++) {
        const r = results[i] as ResultRecord;
        const previous = selectPrevious.get(r.runId, r.promptVersion, r.modelId, r.caseId, r.repeat) as
          | { cost: number | null; cached: number }
          | undefined;
        upsertResult.run(...(rows[i] as SQLInputValue[]));
        const change = spent(r.cached, r.cost) - (previous ? spent(previous.cached !== 0, previous.cost) : 0);
        delta.set(r.runId, (delta.get(r.runId) ?? 0) + change);
      }
      for (const [runId, change] of delta) updateRunCost.run(change, runId, runId);
      for (const [key, value] of cacheRows) upsertCached.run(key, value, now);
    });
  }

  function getRunSync(id: string): RunRecord | undefined {
    const row = selectRun.get(id) as RunRow | undefined;
    return row ? runFromRow(row) : undefined;
  }

  function listRunsSync(limit: number): RunRecord[] {
    return (selectRuns.all(limit) as unknown as RunRow[]).map(runFromRow);
  }

  if (!isMemoryPath(path))
    recoverUnsaved(
      file,
      (results, cache) =>
        writeBatch(
          results,
          results.map(resultToRow),
          cache.map((c) => [c.key, JSON.stringify(c.value)] as const),
          new Date().toISOString(),
          [...new Set(results.map((r) => r.runId))],
        ),
      (id) => runExists.get(id) !== undefined,
    );

  return {
    path: file,
    schemaVersion,

    async createRun(run) {
      if (getRunSync(run.id)) throw new AssayError(`a run with id ${run.id} already exists in ${file}`, 2);
      try {
        insertRun.run(run.id, JSON.stringify(run.manifest), run.planned, new Date().toISOString());
      } catch (error) {
        throw storeWriteError(file, error, 'start the run');
      }
      return getRunSync(run.id) as RunRecord;
    },

    async getRun(id) {
      return getRunSync(id);
    },

    async listRuns(options: ListRunsOptions = {}) {
      const limit = options.limit;
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
        throw new AssayError(`listRuns: limit must be a whole number ≥ 0, got ${limit}`, 2);
      return listRunsSync(limit ?? -1);
    },

    async findRun(idOrPrefix) {
      if (idOrPrefix === 'latest') return listRunsSync(1)[0];
      const back = /^latest~(\d+)$/.exec(idOrPrefix);
      if (back) return listRunsSync(Number(back[1]) + 1)[Number(back[1])];
      const exact = getRunSync(idOrPrefix);
      if (exact || idOrPrefix.length < minPrefix) return exact;
      const rows = selectRunsByPrefix.all(idOrPrefix, idOrPrefix, maxCandidates + 1) as unknown as RunRow[];
      if (rows.length <= 1) return rows[0] ? runFromRow(rows[0]) : undefined;
      const names = rows.slice(0, maxCandidates).map((r) => `${r.id} (${r.created_at}, ${r.status})`);
      if (rows.length > maxCandidates) names.push('…');
      throw new AssayError(
        `run id prefix '${idOrPrefix}' is ambiguous; it matches:\n  ${names.join('\n  ')}\ngive more characters`,
        2,
      );
    },

    async setRunStatus(id: string, status: RunStatus) {
      let changes: number | bigint;
      try {
        ({ changes } = updateRunStatus.run(status, status, new Date().toISOString(), id));
      } catch (error) {
        throw storeWriteError(file, error, `mark run ${id} ${status}`);
      }
      if (Number(changes) === 0) throw new AssayError(`no run ${id} in ${file}`, 2);
    },

    async writeResults(results: ResultRecord[], cache: CacheEntry[] = []) {
      if (results.length === 0 && cache.length === 0) return;
      // Everything that can throw in JS happens before BEGIN; inside, only SQLite can fail (and roll back).
      const rows = results.map(resultToRow);
      const cacheRows = cache.map((c) => [c.key, JSON.stringify(c.value)] as const);
      const now = new Date().toISOString();
      const runIds = [...new Set(results.map((r) => r.runId))];
      try {
        writeBatch(results, rows, cacheRows, now, runIds);
      } catch (error) {
        if (error instanceof AssayError) throw error;
        // Paid answers are not dropped: a batch refused by a lock goes to the side file (unsaved-batches.ts).
        const kept = isBusy(error) && !isMemoryPath(path) && keepUnsaved(file, results, cache);
        throw storeWriteError(
          file,
          error,
          `store ${results.length} results`,
          kept ? { results: results.length, file: unsavedPath(file) } : undefined,
        );
      }
    },

    async completedKeys(runId, options) {
      const keys = new Set<string>();
      const stmt = options?.exceptErrors ? selectKeysExceptErrors : selectKeys;
      for (const row of stmt.iterate(runId)) {
        const r = row as { prompt_version: string; model_id: string; case_id: string; repeat: number };
        keys.add(
          resultKey({
            promptVersion: r.prompt_version,
            modelId: r.model_id,
            caseId: r.case_id,
            repeat: r.repeat,
          }),
        );
      }
      return keys;
    },

    async *iterateResults(runId) {
      // A statement per iteration: a shared one would be reset under a second, concurrent iteration.
      const stmt = db.prepare(`${resultSelect} WHERE run_id = ? ORDER BY seq`);
      for (const row of stmt.iterate(runId)) yield resultFromRow(row as unknown as ResultRow);
    },

    async countResults(runId) {
      return Number((countStmt.get(runId) as { n: number }).n);
    },

    async getCached(key) {
      const row = selectCached.get(key) as { value: string } | undefined;
      return row ? (JSON.parse(row.value) as CachedResponse) : undefined;
    },

    async putCached(key, value) {
      upsertCached.run(key, JSON.stringify(value), new Date().toISOString());
    },

    async putPromptVersion(v: PromptVersionRecord) {
      insertPromptVersion.run(
        v.name,
        v.version,
        v.file,
        v.source,
        v.parent ?? null,
        v.author ?? null,
        v.gitCommit ?? null,
        v.message ?? null,
        v.createdAt,
      );
    },

    async getPromptVersion(name, version) {
      const exact = selectPromptVersion.get(name, version) as PromptVersionRow | undefined;
      if (exact || version.length < minPrefix) return exact ? promptVersionFromRow(exact) : undefined;
      const rows = selectPromptVersionsByPrefix.all(
        name,
        version,
        version,
        maxCandidates + 1,
      ) as unknown as PromptVersionRow[];
      if (rows.length <= 1) return rows[0] ? promptVersionFromRow(rows[0]) : undefined;
      const names = rows.slice(0, maxCandidates).map((r) => `${r.version} (${r.created_at})`);
      if (rows.length > maxCandidates) names.push('…');
      throw new AssayError(
        `version prefix '${version}' of prompt '${name}' is ambiguous; it matches:\n  ${names.join('\n  ')}\ngive more characters`,
        2,
      );
    },

    async listPromptVersions(name) {
      const rows = (name === undefined
        ? selectAllPromptVersions.all()
        : selectPromptVersions.all(name)) as unknown as PromptVersionRow[];
      return rows.map(promptVersionFromRow);
    },

    async recordLabelEvent(e: LabelEvent) {
      insertLabelEvent.run(
        e.name,
        e.label,
        e.version,
        e.previous ?? null,
        e.movedAt,
        e.author ?? null,
        e.message ?? null,
      );
    },

    async labelHistory(name, label) {
      const n = name ?? null;
      const l = label ?? null;
      return (selectLabelEvents.all(n, n, l, l) as unknown as LabelEventRow[]).map(labelEventFromRow);
    },

    async mirrorAnnotations(suite, records) {
      const rows = records.map((a, i) => annotationToRow(suite, a, i, sqliteCodec));
      if (rows.length === 0) return 0;
      let added = 0;
      transaction(() => {
        for (const row of rows) added += Number(insertAnnotation.run(...(row as SQLInputValue[])).changes);
      });
      return added;
    },

    async listAnnotations(filter = {}) {
      const s = filter.suite ?? null;
      const k = filter.key ?? null;
      const utf8 = new TextDecoder();
      return (
        selectAnnotations.all(s, s, k, k) as unknown as (AnnotationRow & { note_bytes: Uint8Array | null })[]
      ).map(({ note_bytes, ...r }) =>
        annotationFromRow({ ...r, note: note_bytes === null ? null : utf8.decode(note_bytes) }, sqliteCodec),
      );
    },

    async close() {
      if (closed) return;
      closed = true;
      try {
        if (!isMemoryPath(path)) db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      } catch {
        // Only a tidy-up: on a full disk or under another's lock the WAL stays and the next open replays it.
        // Throwing here would hide the error that ended the command.
      } finally {
        db.close();
      }
    },
  };
}
