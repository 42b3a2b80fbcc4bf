import { PgBoss } from 'pg-boss';
import { AssayError } from '../core/errors.ts';
import { redactDatabaseUrl, redactSecret } from '../store/database-url.ts';

/** The PostgreSQL schema pg-boss keeps its tables in, beside the run store's tables. */
export const queueSchema = 'assay_queue';
/** The one queue every `assay eval --queue` run's jobs go to. */
export const evalQueue = 'assay-eval';

/** How the queue treats a job (fixed when the queue is first created). */
export const evalQueueOptions = {
  /** A worker touches its jobs every few seconds; one silent this long is dead, and its job is retried. */
  heartbeatSeconds: 10,
  /** The longest a job may run even while its worker lives (a hung model call is bounded by timeouts). */
  expireInSeconds: 60 * 60,
  /** Attempts after the first: enough for a few crashed workers, never an endless loop. */
  retryLimit: 5,
  retryDelay: 2,
  retryBackoff: true,
  retryDelayMax: 60,
  /** Finished jobs are kept a day (progress and diagnosis), then deleted. */
  deleteAfterSeconds: 24 * 60 * 60,
} as const;

export interface OpenWorkQueueOptions {
  /** Supervise (expire dead workers' jobs, retry them): workers do, `eval --queue` need not. */
  supervise?: boolean;
  /** Seconds between supervision passes (default 5): how soon a dead worker's job is noticed. */
  superviseSeconds?: number;
}

/**
 * Opens the job queue in the team database (pg-boss, schema `assay_queue`), creating its tables and the
 * eval queue on first use. Errors never show the URL's password.
 */
export async function openWorkQueue(url: string, options: OpenWorkQueueOptions = {}): Promise<PgBoss> {
  const every = options.superviseSeconds ?? 5;
  const boss = new PgBoss({
    connectionString: url,
    schema: queueSchema,
    max: 4,
    supervise: options.supervise ?? false,
    schedule: false,
    superviseIntervalSeconds: every,
    monitorIntervalSeconds: every,
    application_name: 'assay-queue',
  });
  // pg-boss reports background errors as events; an unhandled 'error' event would crash the process.
  boss.on('error', () => undefined);
  try {
    await boss.start();
    if (!(await boss.getQueue(evalQueue))) await boss.createQueue(evalQueue, { ...evalQueueOptions });
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new AssayError(
      `the job queue in ${redactDatabaseUrl(url)}: cannot open: ${redactSecret((error as Error).message, url)}`,
      2,
    );
  }
  return boss;
}

/**
 * Whether any eval job (of one run, when given) is waiting, awaiting a retry or running — a dead worker's
 * included, until its heartbeat lapses and the job is retried.
 */
export async function hasPendingJobs(boss: PgBoss, runId?: string): Promise<boolean> {
  const table = (await boss.getQueue(evalQueue))?.table;
  if (!table) return false;
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`unexpected pg-boss table name ${table}`);
  const { rows } = await boss.getDb().executeSql(
    `SELECT EXISTS (SELECT 1 FROM ${queueSchema}.${table}
       WHERE name = $1 AND state IN ('created', 'retry', 'active')${
         runId === undefined ? '' : ` AND data->>'runId' = $2`
       }) AS pending`,
    runId === undefined ? [evalQueue] : [evalQueue, runId],
  );
  return rows[0]?.pending === true;
}
