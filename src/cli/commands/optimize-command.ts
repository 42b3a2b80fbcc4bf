import { spawnSync } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline/promises';
import { type ManualProposer, type OptimizeResult, optimize } from '../../app/optimize.ts';
import type { FailureCluster } from '../../optimize/cluster-failures.ts';
import { describeEstimate } from '../../optimize/describe-estimate.ts';
import type { ShownCase } from '../../optimize/proposer-request.ts';

interface OptimizeFlags {
  cwd: string;
  config?: string;
  store?: string;
  suite?: string;
  model?: string;
  proposer?: string;
  manual?: boolean;
  repeat?: number;
  alpha?: number;
  maxHypotheses?: number;
  patience?: number;
  maxCost?: number;
  out?: string;
  resume?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `assay optimize PROMPT`: parse flags, run optimize(), render. */
export async function optimizeCommand(promptName: string, flags: OptimizeFlags): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  const manual = flags.manual ? new TerminalProposer() : undefined;
  try {
    const result = await optimize({
      cwd: flags.cwd,
      prompt: promptName,
      ...(flags.config !== undefined ? { config: flags.config } : {}),
      ...(flags.store !== undefined ? { store: flags.store } : {}),
      ...(flags.suite !== undefined ? { suite: flags.suite } : {}),
      ...(flags.model !== undefined ? { model: flags.model } : {}),
      ...(flags.proposer !== undefined ? { proposer: flags.proposer } : {}),
      ...(manual ? { manual } : {}),
      ...(flags.repeat !== undefined ? { repeats: flags.repeat } : {}),
      ...(flags.alpha !== undefined ? { alpha: flags.alpha } : {}),
      ...(flags.maxHypotheses !== undefined ? { maxHypotheses: flags.maxHypotheses } : {}),
      ...(flags.patience !== undefined ? { patience: flags.patience } : {}),
      ...(flags.maxCost !== undefined ? { maxCost: flags.maxCost } : {}),
      ...(flags.out !== undefined ? { out: flags.out } : {}),
      resume: !!flags.resume,
      dryRun: !!flags.dryRun,
      signal: controller.signal,
      onEvent: flags.json ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
    if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`${renderResult(result, !!flags.dryRun)}\n`);
    return result.exitCode;
  } finally {
    manual?.close();
    process.off('SIGINT', onSignal);
  }
}

const money = (x: number | null) => (x === null ? 'unknown' : `$${x.toFixed(4)}`);

export function renderResult(r: OptimizeResult, dryRun: boolean): string {
  const lines = [describeEstimate(r.estimate), ...r.warnings.map((w) => `warning: ${w}`)];
  if (dryRun) return lines.join('\n');
  lines.push(
    `${r.accepted} of ${r.tried} hypothesis(es) accepted; stopped: ${r.stopReason}`,
    r.final ? `final: ${r.final.verdict} — ${r.final.why}` : 'final: unfinished (resume with --resume)',
    `version ${r.initialVersion} → ${r.finalVersion}; test split looked at ${r.testLooks} time(s)`,
    `spent: target ${r.spend.target.calls} call(s) ${money(r.spend.target.cost)}, judge ${r.spend.judge.calls} call(s) ${money(r.spend.judge.cost)}, proposer ${r.spend.proposer.calls} call(s) ${money(r.spend.proposer.cost)}; total ${money(r.spend.total)}`,
    `log: ${r.log}`,
    ...(r.story ? [`story: ${r.story.markdown} and ${r.story.html}`] : []),
  );
  return lines.join('\n');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const clean = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');

/** The person at the terminal as the proposer: the diagnosis is shown, the edit is theirs. */
class TerminalProposer implements ManualProposer {
  #rl: Interface | undefined;

  #io(): Interface {
    this.#rl ??= createInterface({ input: process.stdin, output: process.stdout });
    return this.#rl;
  }

  async propose(ctx: {
    step: number;
    cluster: FailureCluster;
    failing: ShownCase[];
    passing: ShownCase[];
    promptFile: string;
  }): Promise<{ hypothesis: string; predicted?: string[] } | 'stop'> {
    const out = (s: string) => process.stdout.write(`${clean(s)}\n`);
    out('');
    out(`── step ${ctx.step}: ${ctx.cluster.caseIds.length} failing case(s), “${ctx.cluster.signature}”`);
    for (const c of ctx.failing) {
      out(`case ${c.caseId}`);
      out(`  input:  ${c.input.replace(/\n/g, ' / ')}`);
      for (const o of c.outputs.slice(0, 1)) out(`  output: ${o.replace(/\n/g, ' / ')}`);
      if (c.reasons.length) out(`  failed: ${c.reasons.join('; ')}`);
    }
    if (ctx.passing.length) out(`passing for contrast: ${ctx.passing.map((c) => c.caseId).join(', ')}`);
    const rl = this.#io();
    const editor = process.env.VISUAL || process.env.EDITOR;
    if (editor) {
      out(`opening ${editor} on ${ctx.promptFile} …`);
      rl.pause();
      // The command may carry arguments (`code -w`); no shell, so the path needs no quoting.
      const [command = 'vi', ...args] = editor.trim().split(/\s+/);
      const r = spawnSync(command, [...args, ctx.promptFile], { stdio: 'inherit' });
      rl.resume();
      if (r.error || r.status !== 0)
        out(
          `the editor (${editor}) failed (${r.error?.message ?? `status ${r.status}`}): edit the file yourself.`,
        );
    } else out(`edit ${ctx.promptFile} (one change), save it, then come back here.`);
    const go = await rl.question('Press Enter to measure the edit (q + Enter stops): ');
    if (go.trim().toLowerCase() === 'q') return 'stop';
    let hypothesis = '';
    while (!hypothesis)
      hypothesis = (await rl.question('Hypothesis (what should this edit fix, and why?): ')).trim();
    const ids = (
      await rl.question(`Cases it should fix (comma-separated; Enter = all ${ctx.cluster.caseIds.length}): `)
    )
      .split(/[\s,]+/)
      .filter(Boolean);
    out('measuring …');
    return { hypothesis, ...(ids.length ? { predicted: ids } : {}) };
  }

  report(text: string): void {
    process.stdout.write(`measured: ${clean(text)}\n`);
  }

  close(): void {
    this.#rl?.close();
  }
}
