import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { AssayError } from '../core/errors.ts';
import { type AnnotationRow, annotationFromRow, annotationRecordHash } from '../store/annotation-row.ts';
import { redactDatabaseUrl, redactSecret } from '../store/database-url.ts';
import { storeMigrations } from '../store/migrations.ts';

/**
 * `assay db check`: an integrity check of a run store that changes nothing. The same logical checks run on
 * SQLite and PostgreSQL (counts, keys, statuses, JSON columns, cache entries, annotations); SQLite adds its
 * own page-level `integrity_check` and `foreign_key_check`.
 */

export type DbCheckName =
  | 'integrity'
  | 'foreign-keys'
  | 'schema'
  | 'run-status'
  | 'run-manifest'
  | 'run-counts'
  | 'run-cost'
  | 'result-keys'
  | 'result-rows'
  | 'orphans'
  | 'cache'
  | 'annotations';

export interface DbProblem {
  check: DbCheckName;
  message: string;
  /** The run concerned, when there is one. */
  runId?: string;
}

export interface DbCheckReport {
  backend: 'sqlite' | 'postgres';
  /** An absolute file path, or the URL with its password redacted. */
  store: string;
  schemaVersion: number;
  knownVersion: number;
  /** Rows examined per table. */
  checked: { runs: number; results: number; cache: number; annotations: number };
  problems: DbProblem[];
  ok: boolean;
}

/** A read-only query runner over either back end: `$1, $2…` placeholders, rows as plain objects. */
interface CheckDb {
  backend: 'sqlite' | 'postgres';
  all<R>(sql: string, params?: (string | number)[]): Promise<R[]>;
  /** Decodes free text the back end escaped (PostgreSQL cannot hold NUL). */
  decode(text: string): string;
}

const knownVersion = storeMigrations.at(-1)?.version ?? 0;
const runStatuses = new Set(['running', 'completed', 'interrupted', 'over-budget', 'failed']);
const resultStatuses = new Set(['pass', 'fail', 'error']);
/** Problems listed per check before the rest are summarised, so a badly broken store stays readable. */
const maxPerCheck = 20;
/** Rows read per page: memory stays flat whatever the store's size. */
const pageSize = 1000;
const sqliteHeader = 'SQLite format 3\u0000';

function isJsonObject(text: string | null): boolean {
  if (text === null) return false;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function parsesAs(text: string | null, nullable: boolean, kind: 'object' | 'array' | 'any'): boolean {
  if (text === null) return nullable;
  try {
    const v: unknown = JSON.parse(text);
    if (kind === 'array') return Array.isArray(v);
    if (kind === 'object') return v !== null && typeof v === 'object' && !Array.isArray(v);
    return true;
  } catch {
    return false;
  }
}

class Problems {
  readonly list: DbProblem[] = [];
  private readonly counts = new Map<DbCheckName, number>();
  add(check: DbCheckName, message: string, runId?: string): void {
    const n = (this.counts.get(check) ?? 0) + 1;
    this.counts.set(check, n);
    if (n <= maxPerCheck)
      this.list.push(runId === undefined ? { check, message } : { check, message, runId });
  }
  /** Appends "… and N more" lines for checks cut at maxPerCheck. */
  finish(): DbProblem[] {
    for (const [check, n] of this.counts)
      if (n > maxPerCheck)
        this.list.push({ check, message: `… and ${n - maxPerCheck} more ${check} problems` });
    return this.list;
  }
}

async function tableNames(db: CheckDb): Promise<Set<string>> {
  const rows =
    db.backend === 'sqlite'
      ? await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      : await db.all<{ name: string }>(
          'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
        );
  return new Set(rows.map((r) => r.name));
}

/** The logical checks shared by both back ends. */
async function logicalChecks(
  db: CheckDb,
  problems: Problems,
): Promise<Omit<DbCheckReport, 'store' | 'ok' | 'problems' | 'backend'>> {
  const checked = { runs: 0, results: 0, cache: 0, annotations: 0 };
  const tables = await tableNames(db);
  let schemaVersion = 0;
  if (tables.has('schema_migrations')) {
    const rows = await db.all<{ v: number | string | null }>(
      'SELECT max(version) AS v FROM schema_migrations',
    );
    schemaVersion = Number(rows[0]?.v ?? 0);
  }
  if (schemaVersion > knownVersion)
    problems.add(
      'schema',
      `schema ${schemaVersion} is newer than this Assay knows (${knownVersion}): upgrade assay`,
    );
  else if (schemaVersion < knownVersion)
    problems.add(
      'schema',
      `schema ${schemaVersion} of ${knownVersion}: migrations ${storeMigrations
        .filter((m) => m.version > schemaVersion)
        .map((m) => m.version)
        .join(', ')} pending (run \`assay db migrate\`)`,
    );
  for (const t of ['runs', 'results', 'cache', 'annotations', 'schema_migrations'])
    if (!tables.has(t)) problems.add('schema', `table ${t} is missing`);
  if (!tables.has('runs') || !tables.has('results')) return { schemaVersion, knownVersion, checked };

  // Runs: status, manifest, and results counted against the plan.
  const runs = await db.all<{
    id: string;
    status: string;
    manifest: string;
    planned: number | string;
    cost: number | string;
    n: number | string;
    spent: number | string | null;
  }>(
    `SELECT r.id, r.status, r.manifest, r.planned, r.cost, count(x.seq) AS n,
       sum(CASE WHEN x.cached THEN 0 ELSE coalesce(x.cost, 0) END) AS spent
     FROM runs r LEFT JOIN results x ON x.run_id = r.id
     GROUP BY r.id, r.status, r.manifest, r.planned, r.cost`,
  );
  for (const run of runs) {
    checked.runs++;
    const id = db.decode(run.id);
    const planned = Number(run.planned);
    const n = Number(run.n);
    if (!runStatuses.has(run.status))
      problems.add('run-status', `run ${id}: unknown status '${run.status}'`, id);
    if (!isJsonObject(run.manifest))
      problems.add('run-manifest', `run ${id}: the manifest is not a JSON object`, id);
    if (!Number.isInteger(planned) || planned < 0)
      problems.add('run-counts', `run ${id}: planned ${run.planned} is not a whole number ≥ 0`, id);
    else if (n > planned)
      problems.add('run-counts', `run ${id}: ${n} results stored but only ${planned} planned`, id);
    else if (run.status === 'completed' && n < planned)
      problems.add('run-counts', `run ${id}: completed with ${n} of ${planned} planned results stored`, id);
    const cost = Number(run.cost);
    const spent = Number(run.spent ?? 0);
    // Sums of floats in another order differ in the last bits; anything more is a lost or doubled cost.
    if (!Number.isFinite(cost) || Math.abs(cost - spent) > 1e-9 + 1e-9 * Math.abs(spent))
      problems.add(
        'run-cost',
        `run ${id}: cost ${cost} differs from the sum of its results' costs ${spent}`,
        id,
      );
  }

  const duplicates = await db.all<{
    run_id: string;
    prompt_version: string;
    model_id: string;
    case_id: string;
    repeat: number;
    n: number | string;
  }>(
    `SELECT run_id, prompt_version, model_id, case_id, repeat, count(*) AS n FROM results
     GROUP BY run_id, prompt_version, model_id, case_id, repeat HAVING count(*) > 1`,
  );
  for (const d of duplicates) {
    const id = db.decode(d.run_id);
    problems.add(
      'result-keys',
      `run ${id}: ${d.n} results for prompt version ${db.decode(d.prompt_version)}, model ${db.decode(d.model_id)}, case ${db.decode(d.case_id)}, repeat ${d.repeat} (one expected)`,
      id,
    );
  }

  const orphans = await db.all<{ run_id: string; n: number | string }>(
    'SELECT run_id, count(*) AS n FROM results WHERE run_id NOT IN (SELECT id FROM runs) GROUP BY run_id',
  );
  for (const o of orphans)
    problems.add('orphans', `${o.n} results belong to run ${db.decode(o.run_id)}, which does not exist`);

  // Result rows, page by page: status and JSON columns.
  let after = 0;
  for (;;) {
    const page = await db.all<{
      seq: number | string;
      run_id: string;
      case_id: string;
      status: string;
      checks: string | null;
      usage: string | null;
      tool_calls: string | null;
      error: string | null;
    }>(
      'SELECT seq, run_id, case_id, status, checks, usage, tool_calls, error FROM results WHERE seq > $1 ORDER BY seq LIMIT $2',
      [after, pageSize],
    );
    for (const r of page) {
      checked.results++;
      const id = db.decode(r.run_id);
      const where = `run ${id}, case ${db.decode(r.case_id)} (row ${r.seq})`;
      if (!resultStatuses.has(r.status))
        problems.add('result-rows', `${where}: unknown status '${r.status}'`, id);
      if (!parsesAs(r.checks, false, 'array'))
        problems.add('result-rows', `${where}: checks is not a JSON array`, id);
      if (!parsesAs(r.usage, false, 'object'))
        problems.add('result-rows', `${where}: usage is not a JSON object`, id);
      if (!parsesAs(r.tool_calls, true, 'array'))
        problems.add('result-rows', `${where}: tool_calls is not a JSON array`, id);
      if (!parsesAs(r.error, true, 'object'))
        problems.add('result-rows', `${where}: error is not a JSON object`, id);
      if (r.status === 'error' && r.error === null)
        problems.add('result-rows', `${where}: status error without an error`, id);
    }
    if (page.length < pageSize) break;
    after = Number(page.at(-1)?.seq);
  }

  if (tables.has('cache')) {
    let key = '';
    for (;;) {
      const page = await db.all<{ key: string; value: string }>(
        'SELECT key, value FROM cache WHERE key > $1 ORDER BY key LIMIT $2',
        [key, pageSize],
      );
      for (const c of page) {
        checked.cache++;
        let ok = false;
        try {
          const v = JSON.parse(c.value) as { text?: unknown; toolCalls?: unknown; usage?: unknown };
          ok =
            v !== null &&
            typeof v === 'object' &&
            typeof v.text === 'string' &&
            (v.toolCalls === undefined || Array.isArray(v.toolCalls)) &&
            (v.usage === undefined || (typeof v.usage === 'object' && v.usage !== null));
        } catch {
          ok = false;
        }
        if (c.key.trim() === '') problems.add('cache', 'a cache entry has an empty key');
        if (!ok)
          problems.add('cache', `cache entry ${c.key.slice(0, 16)}…: the value is not a cached response`);
      }
      if (page.length < pageSize) break;
      key = page.at(-1)?.key ?? key;
    }
  }

  if (tables.has('annotations')) {
    let after = 0;
    for (;;) {
      const page = await db.all<
        AnnotationRow & { seq: number | string; at_ms: number | string; record_hash: string }
      >('SELECT * FROM annotations WHERE seq > $1 ORDER BY seq LIMIT $2', [after, pageSize]);
      for (const row of page) {
        checked.annotations++;
        const where = `annotation row ${row.seq} (suite ${db.decode(row.suite)})`;
        const a = annotationFromRow(row, { encode: (s) => s, decode: (s) => db.decode(s), flag: (b) => b });
        const atMs = Date.parse(a.at);
        if (Number.isNaN(atMs)) problems.add('annotations', `${where}: at '${a.at}' is not a time`);
        else if (atMs !== Number(row.at_ms)) problems.add('annotations', `${where}: at_ms does not match at`);
        if (a.verdict !== undefined && a.verdict !== 'pass' && a.verdict !== 'fail')
          problems.add('annotations', `${where}: unknown verdict '${a.verdict}'`);
        if (a.score !== undefined && !Number.isFinite(Number(a.score)))
          problems.add('annotations', `${where}: score is not a finite number`);
        if (a.key === '' || a.caseId === '' || a.annotator === '')
          problems.add('annotations', `${where}: key, case and annotator must not be empty`);
        const { suite: _suite, ...record } = a;
        if (
          annotationRecordHash({
            ...record,
            ...(a.score !== undefined ? { score: Number(a.score) } : {}),
          }) !== row.record_hash
        )
          problems.add('annotations', `${where}: the record hash does not match its fields`);
      }
      if (page.length < pageSize) break;
      after = Number(page.at(-1)?.seq);
    }
  }
  return { schemaVersion, knownVersion, checked };
}

function looksLikeSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    return n === 0 || buf.toString('latin1', 0, n) === sqliteHeader;
  } finally {
    closeSync(fd);
  }
}

/** Checks a SQLite store file, read-only. A missing file or one that is not SQLite is bad input (exit 2). */
export async function checkSqliteStore(path: string): Promise<DbCheckReport> {
  if (!existsSync(path)) throw new AssayError(`no run store at ${path}`, 2);
  if (!looksLikeSqlite(path))
    throw new AssayError(`${path} is not a SQLite database (no SQLite header): pass the run store's file`, 2);
  let raw: DatabaseSync;
  try {
    raw = new DatabaseSync(path, { readOnly: true });
    raw.exec('PRAGMA busy_timeout = 5000');
  } catch (e) {
    throw new AssayError(`cannot open the run store at ${path}: ${(e as Error).message}`, 2);
  }
  const problems = new Problems();
  try {
    const db: CheckDb = {
      backend: 'sqlite',
      all: async <R>(sql: string, params: (string | number)[] = []) =>
        raw.prepare(sql.replace(/\$\d+/g, '?')).all(...params) as R[],
      decode: (s) => s,
    };
    try {
      const integrity = raw.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[];
      for (const row of integrity)
        if (row.integrity_check !== 'ok') problems.add('integrity', row.integrity_check);
      const fk = raw.prepare('PRAGMA foreign_key_check').all() as {
        table: string;
        rowid: number;
        parent: string;
      }[];
      for (const row of fk)
        problems.add('foreign-keys', `${row.table} row ${row.rowid} refers to a missing ${row.parent} row`);
    } catch (e) {
      problems.add('integrity', `the file cannot be read as a database: ${(e as Error).message}`);
      return {
        backend: 'sqlite',
        store: path,
        schemaVersion: 0,
        knownVersion,
        checked: { runs: 0, results: 0, cache: 0, annotations: 0 },
        problems: problems.finish(),
        ok: false,
      };
    }
    let logical: Awaited<ReturnType<typeof logicalChecks>>;
    try {
      logical = await logicalChecks(db, problems);
    } catch (e) {
      // A damaged page can make a query fail outright: that is a finding, not a crash.
      problems.add('integrity', `reading the store failed: ${(e as Error).message}`);
      logical = {
        schemaVersion: 0,
        knownVersion,
        checked: { runs: 0, results: 0, cache: 0, annotations: 0 },
      };
    }
    const list = problems.finish();
    return { backend: 'sqlite', store: path, ...logical, problems: list, ok: list.length === 0 };
  } finally {
    raw.close();
  }
}

/** Checks a PostgreSQL store in one read-only transaction (a consistent snapshot while others write). */
export async function checkPostgresStore(url: string): Promise<DbCheckReport> {
  const { default: pg } = await import('pg');
  const { fromPgText } = await import('../store/postgres/pg-text.ts');
  const shown = redactDatabaseUrl(url);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  const problems = new Problems();
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const db: CheckDb = {
      backend: 'postgres',
      all: async <R>(sql: string, params: (string | number)[] = []) =>
        (await client.query(sql, params)).rows as R[],
      decode: fromPgText,
    };
    const logical = await logicalChecks(db, problems);
    await client.query('COMMIT');
    const list = problems.finish();
    return { backend: 'postgres', store: shown, ...logical, problems: list, ok: list.length === 0 };
  } catch (error) {
    if (error instanceof AssayError) throw error;
    throw new AssayError(`the run store at ${shown}: ${redactSecret((error as Error).message, url)}`, 2);
  } finally {
    await client.end().catch(() => undefined);
  }
}
