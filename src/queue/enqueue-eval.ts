import { resolve } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { Project } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import type { RunRecord } from '../core/types.ts';
import { buildManifest, type ManifestOptions } from '../engine/build-manifest.ts';
import { planRun, type RunPlan } from '../engine/plan-run.ts';
import { projectPriceTable } from '../engine/project-price-table.ts';
import { newRunId } from '../engine/run-engine.ts';
import { loadProject } from '../project/load-project.ts';
import { recordPromptVersions } from '../registry/record-prompt-versions.ts';
import { databaseUrlFor } from '../store/open-store.ts';
import { openPostgresStore, type PostgresStore } from '../store/postgres/postgres-store.ts';
import { checkRunManifest } from './check-run-manifest.ts';
import { type EvalJob, jobBatches } from './eval-job.ts';
import { evalQueue, hasPendingJobs, openWorkQueue } from './work-queue.ts';

export interface EnqueueOptions {
  cwd?: string;
  config?: string;
  /** A run store path; only a `postgres://` URL (or ASSAY_DATABASE_URL) can be queued on. */
  store?: string;
  prompts?: string[];
  models?: string[];
  suite?: string;
  split?: 'dev' | 'test';
  category?: string;
  tag?: string;
  repeats?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  cache?: boolean;
  /** Re-enqueue the items of this run (id, prefix, `latest`) that have no answer yet. */
  resume?: string;
  message?: string;
  /** Items per job (default 25). */
  jobSize?: number;
  env?: NodeJS.ProcessEnv;
}

export interface QueuedRun {
  run: RunRecord;
  /** Items enqueued now (all of them, or on resume those still missing). */
  items: number;
  jobs: number;
}

export interface EnqueueResult {
  runs: QueuedRun[];
  /** Suites left out because the selection leaves them nothing to run, and why. */
  skipped: { suite: string; reason: string }[];
}

/** Jobs per INSERT: bounded, so a 100,000-item run is enqueued in flat memory. */
const insertChunk = 500;

/**
 * `assay eval --queue`: plans the run(s) exactly like a local eval, records each run (manifest and
 * prompt versions) in the PostgreSQL team store, and enqueues its items as jobs for `assay worker`
 * processes. Sends no model call and needs no API key. A resume re-enqueues what is missing.
 */
export async function enqueueEval(options: EnqueueOptions = {}): Promise<EnqueueResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const project = await loadProject({ cwd, configPath: options.config });
  const url = databaseUrlFor({
    path: options.store ? resolve(cwd, options.store) : project.storePath,
    env,
  });
  if (url === undefined)
    throw new AssayError(
      '--queue needs the PostgreSQL team store, shared with the workers: set ASSAY_DATABASE_URL=postgres://… (or `store: postgres://…` in the config); see docs/workers.md',
      2,
    );
  for (const [name, value] of [
    ['concurrency', options.concurrency],
    ['timeout', options.timeoutMs],
    ['max retries', options.maxRetries],
    ['repeats', options.repeats],
  ] as const)
    if (value !== undefined && (!Number.isInteger(value) || value < (name === 'max retries' ? 0 : 1)))
      throw new ConfigError(
        `${name} must be a whole number ≥ ${name === 'max retries' ? 0 : 1}, got ${value}`,
        {
          field: name,
        },
      );
  for (const id of options.models ?? [])
    if (!project.models.some((m) => m.id === id))
      throw new ConfigError(`model ${id} is not configured; a queued run can only use configured models`, {
        file: project.configFile,
        field: '--model',
        expected: `one of: ${project.models.map((m) => m.id).join(', ') || '(none)'}`,
        hint: 'add it to `models:` in the config (every worker reads the same config)',
      });

  const store = await openPostgresStore(url);
  try {
    const boss = await openWorkQueue(url);
    try {
      const enqueue = async (run: RunRecord, jobs: Iterable<EvalJob>): Promise<QueuedRun> => {
        let chunk: { data: EvalJob }[] = [];
        let items = 0;
        let count = 0;
        const flush = async () => {
          if (chunk.length > 0) await boss.insert(evalQueue, chunk);
          chunk = [];
        };
        for (const job of jobs) {
          chunk.push({ data: job });
          items += job.items.length;
          count++;
          if (chunk.length >= insertChunk) await flush();
        }
        await flush();
        return { run, items, jobs: count };
      };

      if (options.resume !== undefined)
        return {
          runs: [await resumeQueued(store, boss, project, options.resume, enqueue, options.jobSize)],
          skipped: [],
        };

      const plans: RunPlan[] = [];
      const skipped: { suite: string; reason: string }[] = [];
      const suites = options.suite ? [options.suite] : project.suites.map((s) => s.name);
      const filter = { split: options.split, category: options.category, tag: options.tag };
      for (const suite of suites) {
        try {
          plans.push(
            planRun(project, {
              prompts: options.prompts,
              models: options.models,
              suite,
              filter,
              repeats: options.repeats,
            }),
          );
        } catch (e) {
          // A named suite, or a project with one suite, must plan; otherwise a suite the selection
          // leaves empty is skipped (named), as `assay eval` does.
          if (!(e instanceof ConfigError) || options.suite !== undefined || suites.length === 1) throw e;
          skipped.push({ suite, reason: e.message });
        }
      }
      if (plans.length === 0) throw new AssayError(skipped.map((x) => x.reason).join('\n'), 2);

      const priceTable = projectPriceTable(project);
      const runs: QueuedRun[] = [];
      for (const plan of plans) {
        const manifestOptions: ManifestOptions = {
          concurrency: options.concurrency ?? project.defaults.concurrency,
          timeoutMs: options.timeoutMs ?? project.defaults.timeoutMs,
          maxRetries: options.maxRetries ?? project.defaults.maxRetries,
          cache: options.cache ?? true,
          ...(Object.values(filter).some((v) => v !== undefined) ? { filter } : {}),
        };
        const manifest = await buildManifest({
          project,
          plan,
          options: manifestOptions,
          priceTable,
          seed: project.defaults.seed,
        });
        const run = await store.createRun({ id: newRunId(), manifest, planned: plan.size });
        await recordPromptVersions(store, plan.prompts, {
          root: project.root,
          gitCommit: manifest.git?.commit,
          message: options.message,
        });
        try {
          runs.push(await enqueue(run, jobBatches(plan, run.id, { size: options.jobSize })));
        } catch (error) {
          // Half-enqueued: the run cannot complete as it is; `--queue --resume` enqueues the rest.
          await store.setRunStatus(run.id, 'failed').catch(() => undefined);
          throw error;
        }
      }
      return { runs, skipped };
    } finally {
      await boss.stop({ graceful: false }).catch(() => undefined);
    }
  } finally {
    await store.close();
  }
}

/** Re-enqueues the items of a run with no answer (missing, or errored: those are tried again). */
async function resumeQueued(
  store: PostgresStore,
  boss: PgBoss,
  project: Project,
  ref: string,
  enqueue: (run: RunRecord, jobs: Iterable<EvalJob>) => Promise<QueuedRun>,
  jobSize: number | undefined,
): Promise<QueuedRun> {
  const run = await store.findRun(ref);
  if (!run) throw new AssayError(`no run '${ref}' in the store; see \`assay runs list\``, 2);
  const check = checkRunManifest(run, project);
  if (!check.ok)
    throw new AssayError(
      `cannot resume run ${run.id}: the project changed since the run was made:\n  - ${check.problems.join('\n  - ')}\nrestore those files to resume it, or start a new run`,
      2,
    );
  // Its jobs still queued or running would be enqueued twice: each call paid for twice.
  if (await hasPendingJobs(boss, run.id))
    throw new AssayError(
      `run ${run.id} still has jobs queued or running; let the workers finish (or stop), then resume what is missing`,
      2,
    );
  const answered = await store.completedKeys(run.id, { exceptErrors: true });
  if (answered.size >= run.planned)
    throw new AssayError(`run ${run.id} is already complete with no errors; nothing to resume`, 2);
  await store.setRunStatus(run.id, 'running');
  return enqueue(run, jobBatches(check.plan, run.id, { size: jobSize, skip: answered, retryErrors: true }));
}
