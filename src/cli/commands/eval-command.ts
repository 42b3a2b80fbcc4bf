import { estimate, evaluate } from '../../app/evaluate.ts';
import { AssayError } from '../../core/errors.ts';
import type { Progress } from '../../engine/run-options.ts';
import { formatCost, formatDuration } from '../../reporters/format.ts';
import { renderDryRun } from '../../reporters/render-dry-run.ts';
import { renderEvalReport } from '../../reporters/render-eval-report.ts';
import { throttleStatus } from '../../reporters/throttle-status.ts';

interface EvalFlags {
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
  dryRun?: boolean;
  resume?: string | boolean;
  store?: string;
  output?: string[];
  record?: string;
  replay?: string;
  message?: string;
  queue?: boolean;
  wait?: boolean;
  json?: boolean;
}

export async function evalCommand(flags: EvalFlags): Promise<number> {
  const common = {
    cwd: flags.cwd,
    config: flags.config,
    prompts: flags.prompt,
    models: flags.model,
    baseUrl: flags.baseUrl,
    suite: flags.suite,
    split: flags.split,
    category: flags.category,
    tag: flags.tag,
    repeats: flags.repeat,
    maxCost: flags.maxCost,
    cache: flags.cache,
    store: flags.store,
    record: flags.record,
    replay: flags.replay,
  };
  if (flags.dryRun) {
    const est = await estimate(common);
    if (flags.json) process.stdout.write(`${JSON.stringify({ dryRun: est }, null, 2)}\n`);
    else process.stdout.write(`${renderDryRun(est)}\n`);
    return 0;
  }
  if (flags.queue) {
    const { evalQueueCommand } = await import('./eval-queue-command.ts');
    return evalQueueCommand(flags);
  }
  if (flags.wait) throw new AssayError('--wait needs --queue (it follows the workers of a queued run)', 2);

  const controller = new AbortController();
  const force = new AbortController();
  let interruptExitCode = 130;
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    interruptExitCode = sig === 'SIGTERM' ? 143 : 130;
    if (signals === 1) {
      process.stderr.write(
        `\nassay: ${sig}: finishing in-flight calls and saving; press Ctrl-C again to stop them now\n`,
      );
      controller.abort(new Error(sig));
    } else if (signals === 2) {
      // Abort the calls in flight, but still store every finished result and mark the run interrupted.
      process.stderr.write(
        `\nassay: ${sig}: aborting in-flight calls; saving what is finished (once more to quit at once)\n`,
      );
      force.abort(new Error(sig));
    } else process.exit(interruptExitCode); // the store is consistent: batches are transactions
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bar = process.stderr.isTTY && !flags.json ? new ProgressBar() : undefined;
  try {
    const { reports, exitCode, notStarted, skipped } = await evaluate({
      ...common,
      concurrency: flags.concurrency,
      timeoutMs: flags.timeout,
      maxRetries: flags.maxRetries,
      maxErrorRate: flags.maxErrorRate,
      threshold: flags.threshold,
      resume: flags.resume === true ? 'latest' : flags.resume || undefined,
      signal: controller.signal,
      force: force.signal,
      outputs: flags.output,
      message: flags.message,
      get interruptExitCode() {
        return interruptExitCode;
      },
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
    bar?.clear();
    if (flags.json)
      process.stdout.write(
        `${JSON.stringify({ schemaVersion: 1, exitCode, reports, notStarted, skipped }, null, 2)}\n`,
      );
    else {
      const text = reports.map(renderEvalReport).join('\n\n');
      const notStartedText = notStarted.length
        ? `\n\nnot started: suite ${notStarted.join(', ')} (run \`assay eval -s NAME\` once the run above is finished)`
        : '';
      const left = skipped.map((x) => `\nskipped suite ${x.suite}: ${x.reason}`).join('');
      process.stdout.write(`${text}${notStartedText}${left}\n`);
      const errored = reports.filter((r) => r.summary.errors > 0);
      if (flags.replay && errored.length > 0)
        process.stderr.write(
          `replay: ${errored.reduce((n, r) => n + r.summary.errors, 0)} call(s) errored; a call with no recording is an error 'no recording for MODEL request HASH'. List them: ${errored.map((r) => `assay runs show ${r.run.id}`).join(', ')}\n`,
        );
    }
    // A signal that arrived after the last run finished changes nothing; one that kept suites from
    // starting makes the command interrupted even if every started run completed.
    return controller.signal.aborted && notStarted.length > 0 ? interruptExitCode : exitCode;
  } finally {
    bar?.clear();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** One self-rewriting line on stderr: done/planned, ETA, errors, cost so far. */
class ProgressBar {
  private last = '';
  update(p: Progress): void {
    const frac = p.planned ? p.done / p.planned : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const rate = p.elapsedMs > 0 ? p.done / p.elapsedMs : 0;
    const eta = rate > 0 ? formatDuration((p.planned - p.done) / rate) : '–:––';
    const throttled = throttleStatus(p);
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${p.done}/${p.planned} ${(100 * frac).toFixed(0)}% · ETA ${eta} · ${p.errors} errors · ${p.cached} cached · cost ${formatCost(p.cost, p.costUnknown)}${throttled ? ` · ${throttled}` : ''}`;
    if (line !== this.last) process.stderr.write(`\r\x1b[2K${line}`);
    this.last = line;
  }
  clear(): void {
    if (this.last) process.stderr.write('\r\x1b[2K');
    this.last = '';
  }
}
