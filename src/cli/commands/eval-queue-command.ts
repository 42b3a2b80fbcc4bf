import { buildEvalReport } from '../../app/build-eval-report.ts';
import { runSuiteExpected } from '../../app/suite-expected.ts';
import { AssayError } from '../../core/errors.ts';
import type { RunRecord } from '../../core/types.ts';
import { loadProject } from '../../project/load-project.ts';
import { enqueueEval, type QueuedRun } from '../../queue/enqueue-eval.ts';
import { renderEvalReport } from '../../reporters/render-eval-report.ts';
import { databaseUrlFor } from '../../store/open-store.ts';
import { openPostgresStore } from '../../store/postgres/postgres-store.ts';

export interface EvalQueueFlags {
  cwd: string;
  config?: string;
  prompt?: string[];
  model?: string[];
  baseUrl?: string;
  suite?: string;
  split?: 'dev' | 'test';
  category?: string;
  tag?: string;
  repeat?: number;
  concurrency?: number;
  timeout?: number;
  maxRetries?: number;
  maxCost?: number;
  maxErrorRate?: number;
  threshold?: number;
  cache: boolean;
  resume?: string | boolean;
  store?: string;
  output?: string[];
  record?: string;
  replay?: string;
  message?: string;
  wait?: boolean;
  json?: boolean;
}

/** Flags a queued run cannot honour yet: refused (exit 2) rather than silently ignored. */
const unsupported: [keyof EvalQueueFlags, string][] = [
  ['maxCost', '--max-cost (one budget across machines is not enforced yet)'],
  ['record', '--record'],
  ['replay', '--replay'],
  ['output', '--output (export the run once it completes: `assay export RUN`)'],
  ['baseUrl', '--base-url (workers only run models configured in the project)'],
];

/** `assay eval --queue [--wait]`: enqueue, print the run ids; with --wait follow the workers to the report. */
export async function evalQueueCommand(flags: EvalQueueFlags): Promise<number> {
  for (const [flag, name] of unsupported)
    if (flags[flag] !== undefined)
      throw new AssayError(`${name} cannot be used with --queue; see docs/workers.md`, 2);
  if (flags.wait === undefined && (flags.threshold !== undefined || flags.maxErrorRate !== undefined))
    throw new AssayError(
      '--threshold and --max-error-rate with --queue need --wait (they judge the finished run)',
      2,
    );
  const { runs, skipped } = await enqueueEval({
    cwd: flags.cwd,
    config: flags.config,
    store: flags.store,
    prompts: flags.prompt,
    models: flags.model,
    suite: flags.suite,
    split: flags.split,
    category: flags.category,
    tag: flags.tag,
    repeats: flags.repeat,
    concurrency: flags.concurrency,
    timeoutMs: flags.timeout,
    maxRetries: flags.maxRetries,
    cache: flags.cache,
    resume: flags.resume === true ? 'latest' : flags.resume || undefined,
    message: flags.message,
  });
  const queued = (q: QueuedRun) => ({
    id: q.run.id,
    suite: q.run.manifest.suite.name,
    planned: q.run.planned,
    items: q.items,
    jobs: q.jobs,
  });
  if (!flags.wait) {
    if (flags.json)
      process.stdout.write(`${JSON.stringify({ queued: runs.map(queued), skipped }, null, 2)}\n`);
    else {
      for (const q of runs)
        process.stdout.write(
          `queued run ${q.run.id} (suite ${q.run.manifest.suite.name}): ${q.items} result(s) in ${q.jobs} job(s)\n`,
        );
      for (const x of skipped) process.stdout.write(`skipped suite ${x.suite}: ${x.reason}\n`);
      process.stdout.write(
        'start workers with `assay worker` on any machine with this project checked out\n',
      );
    }
    return 0;
  }
  return waitForRuns(
    flags,
    runs.map((q) => q.run),
  );
}

/** Polls the store until every run is completed or failed; then prints the reports like `assay eval`. */
async function waitForRuns(flags: EvalQueueFlags, runs: RunRecord[]): Promise<number> {
  const project = await loadProject({ cwd: flags.cwd, configPath: flags.config });
  const url = databaseUrlFor({ path: flags.store ?? project.storePath }) as string;
  const store = await openPostgresStore(url, { poolSize: 2 });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tty = process.stderr.isTTY && !flags.json;
  try {
    const finished: RunRecord[] = [];
    let lastLine = 0;
    for (const queued of runs) {
      for (;;) {
        const run = await store.getRun(queued.id);
        if (!run) throw new AssayError(`run ${queued.id} vanished from the store`, 2);
        const done = await store.countResults(run.id);
        const line = `run ${run.id}: ${done}/${run.planned} results stored (${run.status})`;
        if (tty) process.stderr.write(`\r\x1b[2K${line}`);
        else if (Date.now() - lastLine >= 10_000 || run.status !== 'running') {
          process.stderr.write(`${line}\n`);
          lastLine = Date.now();
        }
        if (run.status !== 'running') {
          if (tty) process.stderr.write('\n');
          finished.push(run);
          break;
        }
        if (stop.signal.aborted) {
          if (tty) process.stderr.write('\n');
          process.stderr.write(
            `stopped waiting; the workers go on. Follow with \`assay runs show ${run.id}\`\n`,
          );
          return 130;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    const reports = [];
    for (const run of finished) {
      const report = await buildEvalReport({
        store,
        run,
        threshold: flags.threshold ?? project.defaults.threshold,
        maxErrorRate: flags.maxErrorRate ?? project.defaults.maxErrorRate,
        ...(run.status === 'completed' ? {} : { incomplete: 'interrupted' as const }),
        expected: runSuiteExpected(
          project.suites.find((s) => s.name === run.manifest.suite.name),
          run.manifest,
        ),
        warnings:
          run.status === 'failed'
            ? [
                `run ${run.id} failed: a job could not be run (see the workers' output); \`assay eval --queue --resume ${run.id}\` enqueues what is missing`,
              ]
            : [],
      });
      reports.push(report);
    }
    const exitCode = reports.reduce((worst, r) => Math.max(worst, r.exitCode), 0);
    if (flags.json)
      process.stdout.write(`${JSON.stringify({ schemaVersion: 1, exitCode, reports }, null, 2)}\n`);
    else process.stdout.write(`${reports.map(renderEvalReport).join('\n\n')}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
  }
}
