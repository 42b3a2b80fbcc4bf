import pg from 'pg';
import { AssayError } from '../../core/errors.ts';
import type { ResultRecord, RunManifest, RunRecord, RunStatus } from '../../core/types.ts';
import {
  type AnnotationRow,
  annotationColumns,
  annotationFromRow,
  annotationToRow,
} from '../annotation-row.ts';
import { redactDatabaseUrl, redactSecret } from '../database-url.ts';
import { decodeResult, encodeResult } from '../result-codec.ts';
import { resultColumns } from '../result-columns.ts';
import type {
  CachedResponse,
  CacheEntry,
  LabelEvent,
  ListRunsOptions,
  PromptVersionRecord,
  Store,
} from '../store.ts';
import { resultKey } from '../store.ts';
import { applyPgMigrations } from './apply-pg-migrations.ts';
import { fromPgText, toPgText, toPgTextOrNull } from './pg-text.ts';

/** The run store on a PostgreSQL server (the team store). */
export interface PostgresStore extends Store {
  /** The connection URL with its password redacted: safe to print. */
  readonly url: string;
  /** Schema version of the database after opening. */
  readonly schemaVersion: number;
}

export interface OpenPostgresStoreOptions {
  /** Connections in the pool (default 4). */
  poolSize?: number;
}

/** Shortest prefix `findRun` / `getPromptVersion` accept, so that a typo does not silently pick something. */
const minPrefix = 4;
/** Candidates named when a prefix is ambiguous. */
const maxCandidates = 10;
/** Results per INSERT statement (21 parameters each; PostgreSQL allows 65,535). */
const insertChunk = 500;
/** Results fetched per page while iterating: memory stays flat whatever the run's size. */
const pageSize = 500;

interface RunRow {
  id: string;
  status: string;
  manifest: string;
  planned: number;
  created_at: string;
  finished_at: string | null;
  cost: number;
  cost_unknown: boolean;
}

interface ResultRow {
  seq: string;
  run_id: string;
  prompt: string;
  prompt_version: string;
  model_id: string;
  case_id: string;
  repeat: number;
  status: string;
  output: string | null;
  tool_calls: string | null;
  checks: string;
  score: number | null;
  error: string | null;
  usage: string;
  latency_ms: number | null;
  cost: number | null;
  attempts: number;
  cached: boolean;
  category: string | null;
  tags: string | null;
  created_at: string;
  cluster: string | null;
  trajectory: string | null;
  finish_reason: string | null;
}

interface PromptVersionRow {
  name: string;
  version: string;
  file: string;
  source: string;
  parent: string | null;
  author: string | null;
  git_commit: string | null;
  message: string | null;
  created_at: string;
}

interface LabelEventRow {
  name: string;
  label: string;
  version: string;
  previous: string | null;
  moved_at: string;
  author: string | null;
  message: string | null;
}

const t = fromPgText;
const tn = (v: string | null): string | undefined => (v === null ? undefined : fromPgText(v));
/** JSON text: JSON.stringify escapes NUL, so JSON never needs toPgText. */
const _json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

function runFromRow(row: RunRow): RunRecord {
  const run: RunRecord = {
    id: t(row.id),
    status: row.status as RunStatus,
    manifest: JSON.parse(row.manifest) as RunManifest,
    createdAt: row.created_at,
    planned: row.planned,
    cost: row.cost,
    costUnknown: row.cost_unknown,
  };
  if (row.finished_at !== null) run.finishedAt = row.finished_at;
  return run;
}

const pgTextCodec = { encode: toPgText, decode: fromPgText };
const pgAnnotationCodec = { ...pgTextCodec, flag: (b: boolean) => b };

function resultToRow(r: ResultRecord): unknown[] {
  return encodeResult(r, pgTextCodec);
}

function resultFromRow(row: ResultRow): ResultRecord {
  return decodeResult(row, pgTextCodec);
}

function promptVersionFromRow(row: PromptVersionRow): PromptVersionRecord {
  const v: PromptVersionRecord = {
    name: t(row.name),
    version: t(row.version),
    file: t(row.file),
    source: t(row.source),
    createdAt: row.created_at,
  };
  const parent = tn(row.parent);
  if (parent !== undefined) v.parent = parent;
  const author = tn(row.author);
  if (author !== undefined) v.author = author;
  const gitCommit = tn(row.git_commit);
  if (gitCommit !== undefined) v.gitCommit = gitCommit;
  const message = tn(row.message);
  if (message !== undefined) v.message = message;
  return v;
}

function labelEventFromRow(row: LabelEventRow): LabelEvent {
  const e: LabelEvent = {
    name: t(row.name),
    label: t(row.label),
    version: t(row.version),
    movedAt: row.moved_at,
  };
  const previous = tn(row.previous);
  if (previous !== undefined) e.previous = previous;
  const author = tn(row.author);
  if (author !== undefined) e.author = author;
  const message = tn(row.message);
  if (message !== undefined) e.message = message;
  return e;
}

/** What a result spent, for the run's total: a cached result spent nothing; an unknown price adds 0. */
function spent(cached: boolean, cost: number | null): number {
  return cached ? 0 : (cost ?? 0);
}

/**
 * Opens the run store on the PostgreSQL server at `url` and migrates its schema (under an advisory lock,
 * so several processes may open a new database at once). Every write is a transaction; writers of the
 * same run are serialised by a row lock on the run, so concurrent processes lose nothing. Errors never
 * show the URL's password.
 */
export async function openPostgresStore(
  url: string,
  options: OpenPostgresStoreOptions = {},
): Promise<PostgresStore> {
  const shown = redactDatabaseUrl(url);
  const where = `the run store at ${shown}`;
  const fail = (error: unknown, doing: string): never => {
    if (error instanceof AssayError) throw error;
    throw new AssayError(`${where}: ${doing}: ${redactSecret((error as Error).message, url)}`, 2);
  };
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 4 });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  let schemaVersion = 0;
  try {
    const client = await pool.connect();
    try {
      schemaVersion = (await applyPgMigrations(client, where)).version;
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    fail(error, 'cannot open');
  }

  let closed = false;

  async function query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await pool.query<R>(sql, params)).rows;
    } catch (error) {
      return fail(error, 'query failed');
    }
  }

  async function transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      return fail(error, 'cannot connect');
    }
    try {
      await client.query('BEGIN');
      const out = await work(client);
      await client.query('COMMIT');
      return out;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      return fail(error, 'write failed');
    } finally {
      client.release();
    }
  }

  async function getRunRow(id: string): Promise<RunRecord | undefined> {
    const rows = await query<RunRow>('SELECT * FROM runs WHERE id = $1', [toPgText(id)]);
    return rows[0] ? runFromRow(rows[0]) : undefined;
  }

  async function listRunRows(limit: number | null): Promise<RunRecord[]> {
    const rows = await query<RunRow>('SELECT * FROM runs ORDER BY created_at DESC, seq DESC LIMIT $1', [
      limit,
    ]);
    return rows.map(runFromRow);
  }

  return {
    url: shown,
    schemaVersion,

    async createRun(run) {
      const rows = await query<RunRow>(
        `INSERT INTO runs (id, status, manifest, planned, created_at, finished_at, cost, cost_unknown)
         VALUES ($1, 'running', $2, $3, $4, NULL, 0, FALSE)
         ON CONFLICT (id) DO NOTHING RETURNING *`,
        [toPgText(run.id), JSON.stringify(run.manifest), run.planned, new Date().toISOString()],
      );
      if (!rows[0]) throw new AssayError(`a run with id ${run.id} already exists in ${shown}`, 2);
      return runFromRow(rows[0]);
    },

    getRun: getRunRow,

    async listRuns(options: ListRunsOptions = {}) {
      const limit = options.limit;
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
        throw new AssayError(`listRuns: limit must be a whole number ≥ 0, got ${limit}`, 2);
      return listRunRows(limit ?? null);
    },

    async findRun(idOrPrefix) {
      if (idOrPrefix === 'latest') return (await listRunRows(1))[0];
      const back = /^latest~(\d+)$/.exec(idOrPrefix);
      if (back) {
        const rows = await query<RunRow>(
          'SELECT * FROM runs ORDER BY created_at DESC, seq DESC LIMIT 1 OFFSET $1',
          [Number(back[1])],
        );
        return rows[0] ? runFromRow(rows[0]) : undefined;
      }
      const exact = await getRunRow(idOrPrefix);
      if (exact || idOrPrefix.length < minPrefix) return exact;
      const rows = await query<RunRow>(
        'SELECT * FROM runs WHERE starts_with(id, $1) ORDER BY created_at DESC, seq DESC LIMIT $2',
        [toPgText(idOrPrefix), maxCandidates + 1],
      );
      if (rows.length <= 1) return rows[0] ? runFromRow(rows[0]) : undefined;
      const names = rows.slice(0, maxCandidates).map((r) => `${t(r.id)} (${r.created_at}, ${r.status})`);
      if (rows.length > maxCandidates) names.push('…');
      throw new AssayError(
        `run id prefix '${idOrPrefix}' is ambiguous; it matches:\n  ${names.join('\n  ')}\ngive more characters`,
        2,
      );
    },

    async setRunStatus(id: string, status: RunStatus) {
      const rows = await query<{ id: string }>(
        `UPDATE runs SET status = $1, finished_at = CASE WHEN $1 = 'running' THEN NULL ELSE $2 END
         WHERE id = $3 RETURNING id`,
        [status, new Date().toISOString(), toPgText(id)],
      );
      if (rows.length === 0) throw new AssayError(`no run ${id} in ${shown}`, 2);
    },

    async writeResults(results: ResultRecord[], cache: CacheEntry[] = []) {
      if (results.length === 0 && cache.length === 0) return;
      // One row per key: the first occurrence's place (as SQLite's upsert keeps it), the last one's value.
      const byKey = new Map<string, ResultRecord>();
      for (const r of results) byKey.set(`${r.runId}\u0000${resultKey(r)}`, r);
      const unique = [...byKey.values()];
      const runIds = [...new Set(unique.map((r) => r.runId))].sort();
      // Sorted and de-duplicated, so two transactions never lock cache rows in opposite orders.
      const cacheRows = [...new Map(cache.map((c) => [c.key, JSON.stringify(c.value)])).entries()].sort(
        ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0),
      );
      const now = new Date().toISOString();
      await transaction(async (client) => {
        // Locks the runs (in a fixed order): writers of the same run take turns, so the cost deltas
        // below read a previous value no other transaction is changing.
        if (runIds.length > 0) {
          const { rows } = await client.query<{ id: string }>(
            'SELECT id FROM runs WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
            [runIds.map(toPgText)],
          );
          const found = new Set(rows.map((r) => t(r.id)));
          for (const runId of runIds)
            if (!found.has(runId))
              throw new AssayError(`cannot write results: no run ${runId} in ${shown}`, 2);
        }
        const delta = new Map<string, number>();
        for (const runId of runIds) {
          const mine = unique.filter((r) => r.runId === runId);
          const { rows: previous } = await client.query<{
            prompt_version: string;
            model_id: string;
            case_id: string;
            repeat: number;
            cost: number | null;
            cached: boolean;
          }>(
            `SELECT prompt_version, model_id, case_id, repeat, cost, cached FROM results
             WHERE run_id = $1 AND (prompt_version, model_id, case_id, repeat) IN
               (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]))`,
            [
              toPgText(runId),
              mine.map((r) => toPgText(r.promptVersion)),
              mine.map((r) => toPgText(r.modelId)),
              mine.map((r) => toPgText(r.caseId)),
              mine.map((r) => r.repeat),
            ],
          );
          let change = 0;
          for (const r of mine) change += spent(r.cached, r.cost);
          for (const p of previous) change -= spent(p.cached, p.cost);
          delta.set(runId, change);
        }
        for (let start = 0; start < unique.length; start += insertChunk) {
          const chunk = unique.slice(start, start + insertChunk);
          const params: unknown[] = [];
          const tuples = chunk.map((r) => {
            const row = resultToRow(r);
            const base = params.length;
            params.push(...row);
            return `(${row.map((_, i) => `$${base + i + 1}`).join(', ')})`;
          });
          await client.query(
            `INSERT INTO results (${resultColumns.join(', ')}) VALUES ${tuples.join(', ')}
             ON CONFLICT (run_id, prompt_version, model_id, case_id, repeat) DO UPDATE SET
             ${resultColumns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
            params,
          );
        }
        for (const [runId, change] of delta)
          await client.query(
            `UPDATE runs SET cost = cost + $1,
               cost_unknown = EXISTS (SELECT 1 FROM results WHERE run_id = $2 AND cost IS NULL AND NOT cached)
             WHERE id = $2`,
            [change, toPgText(runId)],
          );
        for (const [key, value] of cacheRows)
          await client.query(
            `INSERT INTO cache (key, value, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
            [toPgText(key), value, now],
          );
      });
    },

    async completedKeys(runId, options) {
      const rows = await query<{ prompt_version: string; model_id: string; case_id: string; repeat: number }>(
        `SELECT prompt_version, model_id, case_id, repeat FROM results WHERE run_id = $1${
          options?.exceptErrors ? " AND status <> 'error'" : ''
        }`,
        [toPgText(runId)],
      );
      return new Set(
        rows.map((r) =>
          resultKey({
            promptVersion: t(r.prompt_version),
            modelId: t(r.model_id),
            caseId: t(r.case_id),
            repeat: r.repeat,
          }),
        ),
      );
    },

    async *iterateResults(runId) {
      // Keyset pagination on seq: no connection is held between pages, so an abandoned iteration costs
      // nothing and writes may go on meanwhile.
      let after = '0';
      for (;;) {
        const rows = await query<ResultRow>(
          `SELECT seq, ${resultColumns.join(', ')} FROM results
           WHERE run_id = $1 AND seq > $2::bigint ORDER BY seq LIMIT $3`,
          [toPgText(runId), after, pageSize],
        );
        for (const row of rows) yield resultFromRow(row);
        if (rows.length < pageSize) return;
        after = (rows.at(-1) as ResultRow).seq;
      }
    },

    async countResults(runId) {
      const rows = await query<{ n: string }>('SELECT count(*) AS n FROM results WHERE run_id = $1', [
        toPgText(runId),
      ]);
      return Number(rows[0]?.n ?? 0);
    },

    async getCached(key) {
      const rows = await query<{ value: string }>('SELECT value FROM cache WHERE key = $1', [toPgText(key)]);
      return rows[0] ? (JSON.parse(rows[0].value) as CachedResponse) : undefined;
    },

    async putCached(key, value) {
      await query(
        `INSERT INTO cache (key, value, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, created_at = excluded.created_at`,
        [toPgText(key), JSON.stringify(value), new Date().toISOString()],
      );
    },

    async putPromptVersion(v) {
      await query(
        `INSERT INTO prompt_versions (name, version, file, source, parent, author, git_commit, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name, version) DO NOTHING`,
        [
          toPgText(v.name),
          toPgText(v.version),
          toPgText(v.file),
          toPgText(v.source),
          toPgTextOrNull(v.parent),
          toPgTextOrNull(v.author),
          toPgTextOrNull(v.gitCommit),
          toPgTextOrNull(v.message),
          v.createdAt,
        ],
      );
    },

    async getPromptVersion(name, version) {
      const exact = await query<PromptVersionRow>(
        'SELECT * FROM prompt_versions WHERE name = $1 AND version = $2',
        [toPgText(name), toPgText(version)],
      );
      if (exact[0]) return promptVersionFromRow(exact[0]);
      if (version.length < minPrefix) return undefined;
      const rows = await query<PromptVersionRow>(
        `SELECT * FROM prompt_versions WHERE name = $1 AND starts_with(version, $2)
         ORDER BY created_at DESC, seq DESC LIMIT $3`,
        [toPgText(name), toPgText(version), maxCandidates + 1],
      );
      if (rows.length <= 1) return rows[0] ? promptVersionFromRow(rows[0]) : undefined;
      const names = rows.slice(0, maxCandidates).map((r) => `${t(r.version)} (${r.created_at})`);
      if (rows.length > maxCandidates) names.push('…');
      throw new AssayError(
        `version prefix '${version}' of prompt '${name}' is ambiguous; it matches:\n  ${names.join('\n  ')}\ngive more characters`,
        2,
      );
    },

    async listPromptVersions(name) {
      const rows =
        name === undefined
          ? await query<PromptVersionRow>('SELECT * FROM prompt_versions ORDER BY created_at DESC, seq DESC')
          : await query<PromptVersionRow>(
              'SELECT * FROM prompt_versions WHERE name = $1 ORDER BY created_at DESC, seq DESC',
              [toPgText(name)],
            );
      return rows.map(promptVersionFromRow);
    },

    async recordLabelEvent(e) {
      await query(
        `INSERT INTO label_events (name, label, version, previous, moved_at, author, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name, label, moved_at, version) DO NOTHING`,
        [
          toPgText(e.name),
          toPgText(e.label),
          toPgText(e.version),
          toPgTextOrNull(e.previous),
          e.movedAt,
          toPgTextOrNull(e.author),
          toPgTextOrNull(e.message),
        ],
      );
    },

    async labelHistory(name, label) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (name !== undefined) {
        params.push(toPgText(name));
        where.push(`name = $${params.length}`);
        if (label !== undefined) {
          params.push(toPgText(label));
          where.push(`label = $${params.length}`);
        }
      }
      const rows = await query<LabelEventRow>(
        `SELECT * FROM label_events ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY moved_at DESC, seq DESC`,
        params,
      );
      return rows.map(labelEventFromRow);
    },

    async mirrorAnnotations(suite, records) {
      const rows = records.map((a, i) => annotationToRow(suite, a, i, pgAnnotationCodec));
      if (rows.length === 0) return 0;
      return transaction(async (client) => {
        let added = 0;
        // VALUES rows take their seq in list order, so records keep the order they were given in.
        for (let start = 0; start < rows.length; start += insertChunk) {
          const params: unknown[] = [];
          const tuples = rows.slice(start, start + insertChunk).map((row) => {
            const base = params.length;
            params.push(...row);
            return `(${row.map((_, i) => `$${base + i + 1}`).join(', ')})`;
          });
          const { rowCount } = await client.query(
            `INSERT INTO annotations (${annotationColumns.join(', ')}) VALUES ${tuples.join(', ')}
             ON CONFLICT (suite, record_hash) DO NOTHING`,
            params,
          );
          added += rowCount ?? 0;
        }
        return added;
      });
    },

    async listAnnotations(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.suite !== undefined) {
        params.push(toPgText(filter.suite));
        where.push(`suite = $${params.length}`);
      }
      if (filter.key !== undefined) {
        params.push(toPgText(filter.key));
        where.push(`key = $${params.length}`);
      }
      const rows = await query<AnnotationRow>(
        `SELECT * FROM annotations ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY at_ms, seq`,
        params,
      );
      return rows.map((r) => annotationFromRow(r, pgAnnotationCodec));
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
