import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { locateStore } from '../../app/locate-store.ts';
import { AssayError } from '../../core/errors.ts';
import { redactDatabaseUrl } from '../../store/database-url.ts';
import { storeMigrations } from '../../store/migrations.ts';
import { databaseUrlFor } from '../../store/open-store.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';

interface DbFlags {
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

interface StoreStatus {
  backend: 'postgres' | 'sqlite';
  /** A redacted URL (PostgreSQL) or an absolute file path (SQLite). */
  location: string;
  schemaVersion: number;
  knownVersion: number;
  pending: number[];
  runs: number;
}

const known = storeMigrations.at(-1)?.version ?? 0;

function sqliteStatus(path: string): StoreStatus {
  if (!existsSync(path)) throw new AssayError(`no run store at ${path}`, 2);
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const has = (table: string) =>
      db.prepare("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !==
      undefined;
    const version = has('schema_migrations')
      ? Number(
          (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ??
            0,
        )
      : 0;
    const runs = has('runs')
      ? Number((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n)
      : 0;
    return {
      backend: 'sqlite',
      location: path,
      schemaVersion: version,
      knownVersion: known,
      pending: storeMigrations.filter((m) => m.version > version).map((m) => m.version),
      runs,
    };
  } finally {
    db.close();
  }
}

async function where(flags: DbFlags): Promise<{ url?: string; path: string }> {
  const path = await locateStore(flags);
  const url = databaseUrlFor({ path });
  return url === undefined ? { path } : { url, path };
}

async function status(flags: DbFlags): Promise<StoreStatus> {
  const { url, path } = await where(flags);
  if (url === undefined) return sqliteStatus(path);
  const { postgresStatus } = await import('../../store/postgres/postgres-schema.ts');
  const s = await postgresStatus(url);
  return {
    backend: 'postgres',
    location: s.url,
    schemaVersion: s.version,
    knownVersion: s.known,
    pending: s.pending,
    runs: s.runs,
  };
}

/** `assay db status`: backend, where (password redacted), schema version, pending migrations, runs. */
export async function dbStatusCommand(flags: DbFlags): Promise<number> {
  const s = await status(flags);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return 0;
  }
  const schema =
    s.schemaVersion > s.knownVersion
      ? `${s.schemaVersion} (newer than this Assay knows, ${s.knownVersion}: upgrade assay)`
      : s.pending.length > 0
        ? `${s.schemaVersion} of ${s.knownVersion} (pending: ${s.pending.join(', ')}; run \`assay db migrate\`)`
        : `${s.schemaVersion} (current)`;
  process.stdout.write(
    `${[
      `backend  ${s.backend === 'postgres' ? 'PostgreSQL' : 'SQLite'}`,
      `store    ${s.location}`,
      `schema   ${schema}`,
      `runs     ${s.runs}`,
    ].join('\n')}\n`,
  );
  return 0;
}

/** `assay db migrate`: applies pending schema migrations (each in its own transaction, exactly once). */
export async function dbMigrateCommand(flags: DbFlags): Promise<number> {
  const { url, path } = await where(flags);
  let outcome: { version: number; applied: number[] };
  let shown: string;
  if (url !== undefined) {
    const { migratePostgres } = await import('../../store/postgres/postgres-schema.ts');
    outcome = await migratePostgres(url);
    shown = redactDatabaseUrl(url);
  } else {
    const before = sqliteStatus(path).schemaVersion;
    const store = openSqliteStore(path);
    outcome = {
      version: store.schemaVersion,
      applied: storeMigrations
        .filter((m) => m.version > before && m.version <= store.schemaVersion)
        .map((m) => m.version),
    };
    await store.close();
    shown = path;
  }
  if (flags.json) process.stdout.write(`${JSON.stringify({ store: shown, ...outcome }, null, 2)}\n`);
  else if (outcome.applied.length === 0)
    process.stdout.write(`${shown}: schema ${outcome.version} is current; nothing to apply\n`);
  else
    process.stdout.write(
      `${shown}: applied migration${outcome.applied.length > 1 ? 's' : ''} ${outcome.applied.join(', ')}; schema ${outcome.version}\n`,
    );
  return 0;
}
