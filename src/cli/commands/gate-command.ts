import { gate } from '../../app/gate.ts';
import { renderGate } from '../../reporters/render-gate.ts';

interface GateFlags {
  cwd: string;
  config?: string;
  store?: string;
  baseline: string;
  candidate?: string;
  metric?: 'pass' | 'score';
  maxRegressions?: number;
  maxErrorRate?: number;
  alpha?: number;
  seed?: number;
  margin?: number;
  junit?: string;
  markdown?: string;
  model?: string[];
  baseUrl?: string;
  suite?: string;
  prompt?: string[];
  repeat?: number;
  record?: string;
  replay?: string;
  cache: boolean;
  maxCost?: number;
  concurrency?: number;
  json?: boolean;
  allowUnvalidated?: boolean;
}

/** `assay gate`: parse, call gate(), render. The exit code is the gate's (0 pass · 1 fail · 3 incomplete). */
export async function gateCommand(flags: GateFlags): Promise<number> {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    process.stderr.write(`\nassay: ${sig}: finishing in-flight calls and saving\n`);
    controller.abort(new Error(sig));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const result = await gate({
      cwd: flags.cwd,
      config: flags.config,
      store: flags.store,
      baseline: flags.baseline,
      candidate: flags.candidate,
      metric: flags.metric,
      maxRegressions: flags.maxRegressions,
      maxErrorRate: flags.maxErrorRate,
      alpha: flags.alpha,
      seed: flags.seed,
      margin: flags.margin,
      junit: flags.junit,
      markdown: flags.markdown,
      models: flags.model,
      baseUrl: flags.baseUrl,
      suite: flags.suite,
      prompts: flags.prompt,
      repeats: flags.repeat,
      record: flags.record,
      replay: flags.replay,
      cache: flags.cache,
      maxCost: flags.maxCost,
      concurrency: flags.concurrency,
      allowUnvalidated: flags.allowUnvalidated,
      signal: controller.signal,
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderGate(result)}\n`);
    return result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
