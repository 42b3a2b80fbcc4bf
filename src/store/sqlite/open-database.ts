import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AssayError } from '../../core/errors.ts';
import { applyMigrations } from './apply-migrations.ts';
import { migrations as allMigrations, type Migration } from './migrations.ts';

export interface OpenedDatabase {
  db: DatabaseSync;
  /** Schema version after migrating. */
  schemaVersion: number;
}

/** True for paths SQLite keeps in memory (no file, no parent folder). */
export function isMemoryPath(path: string): boolean {
  return path === ':memory:' || path === '';
}

/**
 * Opens (creating the file and its parent folder if needed) a SQLite database for the run store, sets the
 * connection's PRAGMAs and migrates it to the current schema. Failures are AssayErrors (exit 2) naming the
 * file.
 */
export function openDatabase(path: string, migrations: readonly Migration[] = allMigrations): OpenedDatabase {
  const file = isMemoryPath(path) ? ':memory:' : resolve(path);
  let db: DatabaseSync | undefined;
  try {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new DatabaseSync(file);
    db.exec('PRAGMA busy_timeout = 5000');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA foreign_keys = ON');
    const { version } = applyMigrations(db, migrations, file);
    return { db, schemaVersion: version };
  } catch (error) {
    if (db?.isOpen) db.close();
    if (error instanceof AssayError) throw error;
    throw new AssayError(`cannot open the run store at ${file}: ${(error as Error).message}`, 2);
  }
}
