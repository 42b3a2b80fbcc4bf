import { resolve } from 'node:path';
import pg from 'pg';
import type { JobWithMetadata, PgBoss } from 'pg-boss';
import { openRunModels, type RunModels } from '../app/open-run-models.ts';
import type { ModelConfig, Project } from '../core/config/project.ts';
import { AssayError } from '../core/errors.ts';
import type { RunRecord } from '../core/types.ts';
import type { ManifestOptions } from '../engine/build-manifest.ts';
import { projectPriceTable } from '../engine/project-price-table.ts';
import { runItems } from '../engine/run-engine.ts';
import type { PriceTable } from '../models/price-table.ts';
import { loadProject } from '../project/load-project.ts';
import { databaseUrlFor } from '../store/open-store.ts';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.ts';
import { resultKey } from '../store/store.ts';
import { checkRunManifest, type ManifestCheck } from './check-run-manifest.ts';
import { type EvalJob, isEvalJob, keyOfItem, resolveJobItems } from './eval-job.ts';
import { storedKeys } from './stored-keys.ts';
import { evalQueue, hasPendingJobs, openWorkQueue } from './work-queue.ts';

export interface WorkerOptions {
  cwd?: string;
  config?: string;
  /** A run store path; only a `postgres://` URL (or ASSAY_DATABASE_URL) has a queue. */
  store?: string;
  /** Calls in flight per model within a job (default: the run's recorded concurrency). */
  concurrency?: number;
  /** Jobs processed at once (default 2, so one job's tail overlaps the next one's start). */
  jobs?: number;
  /**
   * Exit once the queue is drained — no job waiting, awaiting a retry or running anywhere — and this
   * worker's jobs are done (default: wait for work until stopped).
   */
  once?: boolean;
  /** Stops taking jobs; jobs in flight finish their calls in flight, store them and are given back. */
  signal?: AbortSignal;
  /** After `signal`: abort the calls still in flight. */
  force?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** One line per event (job done, job failed, run completed). */
  log?: (line: string) => void;
  /** Wait between polls of an empty queue, ms (default 1000). */
  pollMs?: number;
  /** Seconds between checks for dead workers' jobs (default 5). */
  superviseSeconds?: number;
}

export interface WorkerSummary {
  /** Jobs completed by this worker. */
  jobs: number;
  /** Jobs this worker gave back (failed: retried, or dropped when their run cannot go on). */
  failed: number;
  /** Results this worker stored. */
  results: number;
  /** Runs this worker marked completed. */
  completedRuns: string[];
}

/** What a worker knows about a run once it has checked it against its own project. */
interface RunContext {
  /** The project the run is checked against and run with. */
  project: Project;
  check: ManifestCheck;
  models?: RunModels;
  /** Models the checks call (judges) besides the run's targets. */
  checkModels: ModelConfig[];
  /** Read once per run, not per job (the prices file is a file read). */
  priceTable: PriceTable;
  planned: number;
}

/** Runs a worker keeps checked (with their plan and models) at once. */
const maxRunContexts = 16;

/** A job this worker cannot run at all (no such run, another project): dropped, never retried. */
class DropJob extends Error {}

/**
 * `assay worker`: takes jobs of `assay eval --queue` runs from the team database, runs their items with
 * the same engine as a local eval (this checkout's project, this machine's API keys), stores the results
 * (idempotently: a retried job skips what is stored) and marks a run completed when its last result is
 * stored. A job whose worker dies is retried by another once its heartbeat stops.
 */
export async function runWorker(options: WorkerOptions = {}): Promise<WorkerSummary> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  let project = await loadProject({ cwd, configPath: options.config });
  const url = databaseUrlFor({ path: options.store ? resolve(cwd, options.store) : project.storePath, env });
  if (url === undefined)
    throw new AssayError(
      'a worker needs the PostgreSQL team store its jobs are queued in: set ASSAY_DATABASE_URL=postgres://… (or `store: postgres://…` in the config); see docs/workers.md',
      2,
    );
  const jobsAtOnce = options.jobs ?? 2;
  if (!Number.isInteger(jobsAtOnce) || jobsAtOnce < 1)
    throw new AssayError(`--jobs must be a whole number ≥ 1, got ${jobsAtOnce}`, 2);
  const pollMs = options.pollMs ?? 1000;

  const store = await openPostgresStore(url);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  let boss: PgBoss | undefined;
  const summary: WorkerSummary = { jobs: 0, failed: 0, results: 0, completedRuns: [] };
  const runs = new Map<string, Promise<RunContext>>();
  try {
    boss = await openWorkQueue(url, { supervise: true, superviseSeconds: options.superviseSeconds });
    const queue = boss;
    log(
      `worker ${process.pid} started: project ${project.root}, store ${store.url}${options.once ? ', until the queue is drained' : ''}`,
    );

    const loadContext = async (run: RunRecord): Promise<RunContext> => {
      let current = project;
      let check = checkRunManifest(run, current);
      if (!check.ok) {
        // The checkout may have moved on since this worker started (a `git pull`): read it again.
        const fresh = await loadProject({ cwd, configPath: options.config }).catch(() => undefined);
        const again = fresh && checkRunManifest(run, fresh);
        if (fresh && again?.ok) {
          project = current = fresh;
          check = again;
          log(`project reloaded from ${fresh.root}: it now matches run ${run.id}`);
        }
      }
      const ctx: RunContext = {
        project: current,
        check,
        checkModels: [],
        priceTable: projectPriceTable(current),
        planned: run.planned,
      };
      if (check.ok) {
        const targets = check.plan.models;
        ctx.checkModels = current.models.filter(
          (m) => current.checkModels?.includes(m.id) && !targets.some((x) => x.id === m.id),
        );
        // A missing API key fails here (the job is retried, maybe by a worker that has the key).
        ctx.models = openRunModels([...targets, ...ctx.checkModels], { root: current.root, cwd, env });
      }
      return ctx;
    };
    /** Checked once per run (and shared by its jobs in flight); a failure to check is tried again. */
    const contextOf = (run: RunRecord): Promise<RunContext> => {
      let ctx = runs.get(run.id);
      if (!ctx) {
        ctx = loadContext(run);
        runs.set(run.id, ctx);
        // A long-lived worker sees many runs: keep the latest few (a dropped one is checked again).
        if (runs.size > maxRunContexts) runs.delete(runs.keys().next().value as string);
        ctx.catch(() => runs.delete(run.id));
      }
      return ctx;
    };

    const runJob = async (job: JobWithMetadata<unknown>, signal: AbortSignal): Promise<void> => {
      const data = job.data;
      if (!isEvalJob(data)) throw new DropJob('its payload is not an assay eval job');
      const run = await store.getRun(data.runId);
      if (!run) throw new DropJob(`run ${data.runId} is not in the store`);
      if (run.status === 'failed')
        throw new DropJob(
          `run ${run.id} has failed; resume it with \`assay eval --queue --resume ${run.id}\``,
        );
      const ctx = await contextOf(run);
      if (!ctx.check.ok) {
        await store.setRunStatus(run.id, 'failed').catch(() => undefined);
        throw new DropJob(
          `run ${run.id} was planned from another version of the project than this worker's (${ctx.project.root}):\n  - ${ctx.check.problems.join('\n  - ')}\nthe run is marked failed; update this worker's checkout, then \`assay eval --queue --resume ${run.id}\``,
        );
      }
      const { plan } = ctx.check;
      const { items, problems } = resolveJobItems(plan, data as EvalJob);
      if (problems.length > 0) throw new DropJob(problems.join('; '));
      // Already stored (a dead worker's, or a duplicate job's): skipped before any model is called.
      const started = performance.now();
      const stored = await storedKeys(pool, run.id, items, { exceptErrors: data.retryErrors === true });
      const todo = items.filter((i) => !stored.has(resultKey(keyOfItem(i))));
      if (todo.length > 0) {
        const m = run.manifest;
        const targets = plan.models;
        const models = ctx.models as RunModels;
        const outcome = await runItems(
          {
            project: { ...ctx.project, models: targets },
            checkModels: ctx.checkModels,
            priceTable: ctx.priceTable,
            store,
            resolveModel: (id) => models.resolve(id),
            prompts: m.prompts.map((p) => p.name),
            models: targets.map((t) => t.id),
            suite: m.suite.name,
            filter: (m.options as ManifestOptions).filter,
            repeats: m.repeats,
            concurrency: options.concurrency ?? m.options.concurrency,
            timeoutMs: m.options.timeoutMs,
            maxRetries: m.options.maxRetries,
            cache: m.options.cache,
            signal,
            force: options.force,
          },
          { runId: run.id, items: todo },
        );
        if (outcome.incomplete) throw new Error('stopped before all of its items were done');
        summary.results += todo.length;
      }
      await queue.complete(evalQueue, job);
      summary.jobs++;
      log(
        `job ${job.id.slice(0, 8)} run ${run.id}: ${todo.length} result(s) stored${
          stored.size > 0 ? `, ${stored.size} already stored` : ''
        } (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
      // The last job of the run: every planned result is stored.
      if ((await store.countResults(run.id)) >= ctx.planned) {
        const now = await store.getRun(run.id);
        if (now && now.status !== 'completed') {
          await store.setRunStatus(run.id, 'completed');
          summary.completedRuns.push(run.id);
          log(`run ${run.id} completed: ${ctx.planned} results`);
        }
      }
    };

    const handle = async (job: JobWithMetadata<unknown>): Promise<void> => {
      const stop = new AbortController();
      const onStop = () => stop.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', onStop, { once: true });
      // Heartbeats: a worker that dies stops touching its job, and the queue hands it to another.
      const beat = setInterval(() => {
        queue.touch(evalQueue, job).catch(() => undefined);
      }, 4000);
      const runId = isEvalJob(job.data) ? job.data.runId : '?';
      try {
        await runJob(job, stop.signal);
      } catch (error) {
        summary.failed++;
        const message = error instanceof Error ? error.message : String(error);
        if (error instanceof DropJob) {
          await queue.cancel(evalQueue, job).catch(() => undefined);
          log(`job ${job.id.slice(0, 8)} run ${runId} dropped: ${message}`);
          return;
        }
        await queue.fail(evalQueue, job, { message }).catch(() => undefined);
        const last = job.retryCount >= job.retryLimit;
        log(
          `job ${job.id.slice(0, 8)} run ${runId} failed (attempt ${job.retryCount + 1} of ${job.retryLimit + 1}${
            last ? ', the last' : ''
          }): ${message}`,
        );
        // Never retried again: the run cannot complete as queued; a resume re-enqueues what is missing.
        if (last && runId !== '?') await store.setRunStatus(runId, 'failed').catch(() => undefined);
      } finally {
        clearInterval(beat);
        options.signal?.removeEventListener('abort', onStop);
      }
    };

    const inFlight = new Set<Promise<void>>();
    while (!options.signal?.aborted) {
      if (inFlight.size >= jobsAtOnce) {
        await Promise.race(inFlight);
        continue;
      }
      let job: JobWithMetadata<unknown> | undefined;
      try {
        [job] = await queue.fetch<unknown>(evalQueue, { batchSize: 1, includeMetadata: true });
      } catch (error) {
        log(`cannot fetch a job: ${(error as Error).message}`);
      }
      if (!job) {
        // --once: drained when no job waits, awaits a retry or runs (maybe on a dead worker, whose job
        // comes back once its heartbeat lapses).
        if (options.once && inFlight.size === 0 && !(await hasPendingJobs(queue).catch(() => true))) break;
        await pause(pollMs, options.signal, inFlight);
        continue;
      }
      const p = handle(job).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.allSettled(inFlight);
    return summary;
  } finally {
    await boss?.stop({ graceful: false }).catch(() => undefined);
    await pool.end().catch(() => undefined);
    await (store as PostgresStore).close();
  }
}

/** Waits `ms`, or less when the signal aborts or a job of this worker ends (a slot is free again). */
function pause(ms: number, signal: AbortSignal | undefined, inFlight: Set<Promise<void>>): Promise<void> {
  return new Promise((done) => {
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      done();
    }
    signal?.addEventListener('abort', finish, { once: true });
    if (inFlight.size > 0) Promise.race(inFlight).then(finish, finish);
  });
}
