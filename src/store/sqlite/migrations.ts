import { storeMigrations } from '../migrations.ts';

/** One schema change, as the SQLite store applies it. */
export interface Migration {
  /** 1, 2, 3…: strictly increasing, never reused, never edited once released. */
  version: number;
  name: string;
  /** One or more statements, run with `exec`. */
  sql: string;
}

/**
 * The SQLite store's schema history, oldest first: the SQLite side of the one list both back ends share
 * (src/store/migrations.ts). Policy: only ever append (see docs/store.md).
 */
export const migrations: readonly Migration[] = storeMigrations.map((m) => ({
  version: m.version,
  name: m.name,
  sql: m.sqlite,
}));
