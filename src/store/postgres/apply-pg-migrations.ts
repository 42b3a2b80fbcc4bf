import type pg from 'pg';
import { AssayError } from '../../core/errors.ts';
import { type StoreMigration, storeMigrations } from '../migrations.ts';

export interface PgSchemaState {
  /** Schema version of the database (0 when empty). */
  version: number;
  /** The newest version this code knows. */
  known: number;
  /** Versions this code would apply. */
  pending: number[];
}

/** Any constant: the advisory lock that serialises migrations across processes and machines. */
const migrationLock = 0x61737361; // 'assa'

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

async function currentVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ found: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS found",
  );
  if (exists.rows[0]?.found === null || exists.rows[0]?.found === undefined) return 0;
  const { rows } = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return rows[0]?.version ?? 0;
}

function refuseNewer(found: number, known: number, where: string): void {
  if (found > known)
    throw new AssayError(
      `${where}: this store was written by a newer Assay (schema ${found} > ${known}); upgrade assay`,
      2,
    );
}

/** Where the database stands against `list`, without changing anything. */
export async function pgSchemaState(
  client: pg.ClientBase,
  list: readonly StoreMigration[] = storeMigrations,
): Promise<PgSchemaState> {
  const version = await currentVersion(client);
  const known = list.at(-1)?.version ?? 0;
  return { version, known, pending: list.filter((m) => m.version > version).map((m) => m.version) };
}

/**
 * Brings the database up to the last migration in `list`. Each migration runs in its own transaction under
 * a transaction-scoped advisory lock, so processes opening a new store at once apply it exactly once
 * (PostgreSQL DDL is transactional: a failed migration leaves nothing behind). A database written by a
 * newer Assay is refused with an AssayError (exit 2), untouched.
 */
export async function applyPgMigrations(
  client: pg.ClientBase,
  where: string,
  list: readonly StoreMigration[] = storeMigrations,
): Promise<{ version: number; applied: number[] }> {
  const known = list.at(-1)?.version ?? 0;
  const before = await currentVersion(client);
  refuseNewer(before, known, where);
  const applied: number[] = [];
  for (const m of list) {
    if (m.version <= before) continue;
    await client.query('BEGIN');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
      await client.query(createTable);
      const now = await currentVersion(client); // another process may have migrated while we waited
      refuseNewer(now, known, where);
      if (m.version > now) {
        await client.query(m.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
        applied.push(m.version);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (error instanceof AssayError) throw error;
      throw new AssayError(
        `${where}: schema migration ${m.version} (${m.name}) failed: ${(error as Error).message}`,
        2,
      );
    }
  }
  return { version: await currentVersion(client), applied };
}
