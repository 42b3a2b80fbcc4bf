import { estimateRedteam, redteam } from '../../app/redteam.ts';
import type { Progress } from '../../engine/run-options.ts';
import { renderRedteamReport } from '../../redteam/render-redteam-report.ts';
import { renderDryRun } from '../../reporters/render-dry-run.ts';

interface RedteamFlags {
  cwd: string;
  config?: string;
  redteamConfig?: string;
  model?: string[];
  repeat?: number;
  concurrency?: number;
  maxCost?: number;
  maxErrorRate?: number;
  cache: boolean;
  dryRun?: boolean;
  store?: string;
  compare?: string;
  freeze?: string;
  json?: boolean;
}

export async function redteamCommand(flags: RedteamFlags): Promise<number> {
  const common = {
    cwd: flags.cwd,
    config: flags.config,
    redteamConfig: flags.redteamConfig,
    models: flags.model,
    repeats: flags.repeat,
    maxCost: flags.maxCost,
    cache: flags.cache,
    store: flags.store,
  };
  if (flags.dryRun) {
    const est = await estimateRedteam(common);
    if (flags.json) process.stdout.write(`${JSON.stringify({ dryRun: est }, null, 2)}\n`);
    else
      process.stdout.write(
        `${est.cases} red-team attempts generated into ${est.suiteFile}\n${renderDryRun(est.estimate)}\n${est.attacker ? `attacker rewrites (paraphrase), before the run:\n${renderDryRun(est.attacker)}\n` : ''}${est.warnings.map((w) => `warning: ${w}\n`).join('')}`,
      );
    return 0;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // One self-rewriting status line on a terminal (never in --json or when piped).
  const live = process.stderr.isTTY && !flags.json;
  const onProgress = (p: Progress) =>
    process.stderr.write(
      `\r\x1b[2Kred team: ${p.done}/${p.planned} attempts · ${p.errors} errors · ${p.cached} cached`,
    );
  try {
    const report = await redteam({
      ...common,
      concurrency: flags.concurrency,
      maxErrorRate: flags.maxErrorRate,
      compare: flags.compare,
      freeze: flags.freeze,
      signal: controller.signal,
      ...(live ? { onProgress } : {}),
    });
    if (live) process.stderr.write('\r\x1b[2K');
    if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${renderRedteamReport(report)}\n`);
    return report.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
