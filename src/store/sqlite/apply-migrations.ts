import type { DatabaseSync } from 'node:sqlite';
import { AssayError } from '../../core/errors.ts';
import type { Migration } from './migrations.ts';

export interface MigrationOutcome {
  /** Schema version of the database after migrating. */
  version: number;
  /** Versions applied by this call (empty when the database was already current). */
  applied: number[];
}

/**
 * Brings a database up to the last migration in `list`. Each migration runs in its own `BEGIN IMMEDIATE`
 * transaction, so two processes opening a new store at once apply it exactly once. A database written by a
 * newer Assay (a version this code does not know) is refused with an AssayError (exit 2), untouched.
 */
export function applyMigrations(
  db: DatabaseSync,
  list: readonly Migration[],
  where = 'the run store',
): MigrationOutcome {
  const known = list.at(-1)?.version ?? 0;
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`);
  const currentStmt = db.prepare('SELECT max(version) AS version FROM schema_migrations');
  const current = (): number => {
    const row = currentStmt.get() as { version: number | null } | undefined;
    return row?.version ?? 0;
  };
  const refuseNewer = (found: number): void => {
    if (found > known)
      throw new AssayError(
        `${where}: this store was written by a newer Assay (schema ${found} > ${known}); upgrade assay`,
        2,
      );
  };
  refuseNewer(current());
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const applied: number[] = [];
  for (const m of list) {
    if (m.version <= current()) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      const now = current(); // another process may have migrated while we waited for the lock
      refuseNewer(now);
      if (m.version > now) {
        db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
        applied.push(m.version);
      }
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      if (error instanceof AssayError) throw error;
      throw new AssayError(
        `${where}: schema migration ${m.version} (${m.name}) failed: ${(error as Error).message}`,
        2,
      );
    }
  }
  return { version: current(), applied };
}
