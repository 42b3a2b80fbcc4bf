import pg from 'pg';
import { AssayError } from '../../core/errors.ts';
import { redactDatabaseUrl, redactSecret } from '../database-url.ts';
import { applyPgMigrations, type PgSchemaState, pgSchemaState } from './apply-pg-migrations.ts';

export interface PostgresStatus extends PgSchemaState {
  /** The URL, password redacted. */
  url: string;
  /** Runs stored (0 before the first migration). */
  runs: number;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await work(client);
  } catch (error) {
    if (error instanceof AssayError) throw error;
    throw new AssayError(
      `the run store at ${redactDatabaseUrl(url)}: ${redactSecret((error as Error).message, url)}`,
      2,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Schema version, pending migrations and run count of a PostgreSQL store, changing nothing. */
export function postgresStatus(url: string): Promise<PostgresStatus> {
  return withClient(url, async (client) => {
    const state = await pgSchemaState(client);
    let runs = 0;
    if (state.version >= 1) {
      const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM runs');
      runs = Number(rows[0]?.n ?? 0);
    }
    return { ...state, url: redactDatabaseUrl(url), runs };
  });
}

/** Applies the pending migrations to a PostgreSQL store. */
export function migratePostgres(url: string): Promise<{ version: number; applied: number[] }> {
  return withClient(url, (client) => applyPgMigrations(client, `the run store at ${redactDatabaseUrl(url)}`));
}
