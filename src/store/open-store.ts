import { isDatabaseUrl } from './database-url.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface OpenStoreOptions {
  /** A PostgreSQL URL; wins over everything else. */
  url?: string;
  /** The SQLite file (or, from a config's `store:`, a `postgres://` URL). */
  path: string;
  /** Where `ASSAY_DATABASE_URL` is read (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** The PostgreSQL URL the options pick, if any: `url`, then `ASSAY_DATABASE_URL`, then a URL as `path`. */
export function databaseUrlFor(opts: OpenStoreOptions): string | undefined {
  const env = opts.env ?? process.env;
  if (opts.url) return opts.url;
  if (env.ASSAY_DATABASE_URL?.trim()) return env.ASSAY_DATABASE_URL.trim();
  return isDatabaseUrl(opts.path) ? opts.path.trim() : undefined;
}

/**
 * Opens the run store: the PostgreSQL team store when a database URL is given (`url`, the
 * `ASSAY_DATABASE_URL` variable, or a config `store: postgres://…`), else the SQLite file at `path`.
 * A string is taken as `path` (a file or a `postgres://` URL). The PostgreSQL driver is loaded only when used.
 */
export async function openStore(target: OpenStoreOptions | string): Promise<Store> {
  const opts =
    typeof target !== 'string'
      ? target
      : isDatabaseUrl(target)
        ? { url: target, path: target }
        : { path: target };
  const url = databaseUrlFor(opts);
  if (url === undefined) return openSqliteStore(opts.path);
  const { openPostgresStore } = await import('./postgres/postgres-store.ts');
  return openPostgresStore(url);
}
