import { runWorker } from '../../queue/run-worker.ts';

interface WorkerFlags {
  cwd: string;
  config?: string;
  store?: string;
  concurrency?: number;
  jobs?: number;
  once?: boolean;
  json?: boolean;
}

/**
 * `assay worker`: processes queued eval jobs until stopped (or, with --once, until none is ready).
 * SIGINT/SIGTERM: no new job is taken, calls in flight finish and are stored, unfinished jobs are given
 * back to the queue; a second signal aborts the calls in flight.
 */
export async function workerCommand(flags: WorkerFlags): Promise<number> {
  const stop = new AbortController();
  const force = new AbortController();
  let signals = 0;
  let exitCode = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    exitCode = sig === 'SIGTERM' ? 143 : 130;
    if (signals === 1) {
      process.stderr.write(`\nassay worker: ${sig}: finishing the calls in flight, then giving jobs back\n`);
      stop.abort(new Error(sig));
    } else if (signals === 2) force.abort(new Error(sig));
    else process.exit(exitCode);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const log = (line: string) => {
    const at = new Date().toISOString();
    if (flags.json) process.stdout.write(`${JSON.stringify({ at, event: line })}\n`);
    else process.stderr.write(`${at} ${line}\n`);
  };
  try {
    const summary = await runWorker({
      cwd: flags.cwd,
      config: flags.config,
      store: flags.store,
      concurrency: flags.concurrency,
      jobs: flags.jobs,
      once: flags.once,
      signal: stop.signal,
      force: force.signal,
      log,
    });
    const line = `worker ${process.pid} stopped: ${summary.jobs} job(s) done, ${summary.failed} given back, ${summary.results} result(s) stored${
      summary.completedRuns.length > 0 ? `; completed run ${summary.completedRuns.join(', ')}` : ''
    }`;
    if (flags.json) process.stdout.write(`${JSON.stringify({ summary })}\n`);
    else process.stderr.write(`${line}\n`);
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
