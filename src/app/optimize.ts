import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelConfig, Project } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { parsePrompt } from '../core/prompt/parse-prompt.ts';
import { passAt1Interval } from '../core/stats/repeat-stats.ts';
import type { CaseSpec, PromptSpec, ResultRecord } from '../core/types.ts';
import { Budget } from '../engine/budget.ts';
import { DEFAULT_OUTPUT_TOKENS } from '../engine/call-lane.ts';
import { createCheckServices } from '../engine/create-check-services.ts';
import { targetModels } from '../engine/plan-run.ts';
import { projectPriceTable } from '../engine/project-price-table.ts';
import { estimateRun, runEval } from '../engine/run-engine.ts';
import type { ModelPort } from '../models/model-port.ts';
import { judgeDev, type StepVerdict } from '../optimize/acceptance.ts';
import {
  type CaseOutcome,
  caseOutcomes,
  type Outcomes,
  passedReliably,
  passesMostly,
  passRate,
} from '../optimize/case-outcome.ts';
import { clusterFailures, type FailureCluster, pickCluster } from '../optimize/cluster-failures.ts';
import { describeEstimate } from '../optimize/describe-estimate.ts';
import { checkEdit, normalizePromptText, type SuiteText } from '../optimize/edit-guards.ts';
import { evaluateCandidate } from '../optimize/evaluate-candidate.ts';
import {
  type LogRecord,
  logLine,
  type OptimizeEstimate,
  parseLog,
  type RateWithInterval,
  type Spend,
  type StepRecord,
} from '../optimize/experiment-log.ts';
import { type Proposal, parseProposal, unverifiedQuotes } from '../optimize/parse-proposal.ts';
import { messageText, parsePromptDocument } from '../optimize/prompt-document.ts';
import { applyEdit, describeEdit, EditError } from '../optimize/prompt-edit.ts';
import { proposerMessages, type ShownCase, type TriedHypothesis } from '../optimize/proposer-request.ts';
import { renderStoryHtml, renderStoryMarkdown, type StoryData } from '../optimize/render-story.ts';
import { loadProject } from '../project/load-project.ts';
import { diffLines, diffPrompts } from '../registry/diff-prompts.ts';
import { recordPromptVersions } from '../registry/record-prompt-versions.ts';
import { openStore } from '../store/open-store.ts';
import { selectModels } from './evaluate.ts';
import { openRunModels } from './open-run-models.ts';

/** A person in the proposer's seat (`--manual`): sees the diagnosis, edits the file, states a hypothesis. */
export interface ManualProposer {
  /** Shows the diagnosis; resolves with the person's edit and hypothesis, or 'stop'. */
  propose(ctx: {
    step: number;
    cluster: FailureCluster;
    failing: ShownCase[];
    passing: ShownCase[];
    promptFile: string;
  }): Promise<{ hypothesis: string; predicted?: string[] } | 'stop'>;
  /** Tells the person what was measured. */
  report(text: string): void;
}

export interface OptimizeOptions {
  cwd?: string;
  config?: string;
  store?: string;
  /** The prompt to optimize (its name). */
  prompt: string;
  suite?: string;
  /** Target model (default: the only configured one). */
  model?: string;
  /** Proposer model (a configured model id); not used with `manual`. */
  proposer?: string;
  manual?: ManualProposer;
  /** Samples per case (default 2: determinism is seen, noise is measured). */
  repeats?: number;
  /** Family-wise significance level spent over the hypotheses tested (default 0.05). */
  alpha?: number;
  maxHypotheses?: number;
  /** Stop after this many rejected hypotheses in a row (default 5). */
  patience?: number;
  /** USD cap on every call: targets, judges, proposer. */
  maxCost?: number;
  /** Output folder (default .assay/optimize/PROMPT), resolved against cwd. */
  out?: string;
  resume?: boolean;
  /** Estimate only: nothing is sent or written. */
  dryRun?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Progress lines for the terminal. */
  onEvent?: (line: string) => void;
}

export interface OptimizeResult {
  outDir: string;
  log: string;
  story: { markdown: string; html: string } | null;
  estimate: OptimizeEstimate;
  warnings: string[];
  initialVersion: string;
  finalVersion: string;
  accepted: number;
  tried: number;
  stopReason: string;
  final: { verdict: 'kept' | 'vetoed' | 'unchanged' | 'unconfirmed'; why: string } | null;
  testLooks: number;
  spend: { target: Spend; judge: Spend; proposer: Spend; total: number };
  /** 0 done · 3 stopped by the budget or a failed proposer call (resumable) · 130 interrupted. */
  exitCode: number;
}

/** What `--resume` needs to continue exactly where a run stopped. */
interface Checkpoint {
  schema: 1;
  prompt: string;
  suite: string;
  initialText: string;
  incumbentText: string;
  step: number;
  tests: number;
  accepted: number;
  consecutiveRejections: number;
  seen: string[];
  attempts: Record<string, number>;
  tried: TriedHypothesis[];
  steps: StepRecord[];
  /** Looks at the test split over every session of this optimization. */
  testLooks: number;
  /** Spend per role over every session: the --max-cost cap covers them all. */
  spend: { target: Spend; judge: Spend; proposer: Spend; total: number };
}

/** Each failure cluster gets at most this many hypotheses (a second one can repair a first's conflict). */
export const MAX_ATTEMPTS_PER_CLUSTER = 2;

/**
 * `assay optimize`: improves one prompt on a suite's dev split one typed, hypothesis-driven edit at a time,
 * accepting an edit only when its predicted fixes happen, nothing that passed reliably (or is protected)
 * regresses and — on a noisy target — a paired exact test clears its share of α. The test split may veto
 * the final prompt only. Every call (target, judge, proposer) goes through one Budget and the cache.
 */
export async function optimize(options: OptimizeOptions): Promise<OptimizeResult> {
  const cwd = options.cwd ?? process.cwd();
  const say = options.onEvent ?? (() => {});
  const project = await loadProject({ cwd, configPath: options.config });
  const prompt = project.prompts.find((p) => p.name === options.prompt);
  if (!prompt)
    throw new ConfigError(`no prompt named '${options.prompt}'`, {
      field: 'PROMPT',
      expected: `one of: ${project.prompts.map((p) => p.name).join(', ') || '(no prompts configured)'}`,
    });
  if (prompt.variantOf || prompt.raw === undefined)
    throw new ConfigError(
      `prompt '${prompt.name}' is generated, not a file; optimize the prompt it comes from`,
      {
        field: 'PROMPT',
      },
    );
  const suite = pickSuite(project, options.suite, prompt.name);
  const repeats = options.repeats ?? 2;
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new AssayError(`--alpha ${alpha} must be strictly between 0 and 1`, 2);
  const maxHypotheses = options.maxHypotheses ?? 8;
  const patience = options.patience ?? 5;
  const target = pickTarget(project, options.model, prompt);
  if (!options.manual && !options.proposer)
    throw new ConfigError('no proposer model', {
      field: '--proposer',
      expected: 'a configured model id that writes the diagnoses and edits (e.g. --proposer openai:gpt-4o)',
      hint: 'or use --manual to propose the edits yourself',
    });
  const proposer = options.proposer
    ? (selectModels(project, [options.proposer])[0] as ModelConfig)
    : undefined;
  const dev = suite.cases.filter((c) => c.split !== 'test');
  const test = suite.cases.filter((c) => c.split === 'test');
  if (dev.length === 0)
    throw new ConfigError(`suite '${suite.name}' has no dev cases to optimize on`, {
      file: suite.file,
      field: 'split',
      expected: 'cases with split: dev (or no split)',
    });
  const protectedIds = new Set(suite.cases.filter((c) => c.protected).map((c) => c.id));
  const outDir = resolve(cwd, options.out ?? join(project.root, '.assay', 'optimize', prompt.name));
  const logFile = join(outDir, 'experiment-log.jsonl');
  const checkpointFile = join(outDir, 'checkpoint.json');
  if (!options.dryRun) {
    if (options.resume && !existsSync(checkpointFile))
      throw new AssayError(`nothing to resume: ${checkpointFile} does not exist (start without --resume)`, 2);
    if (!options.resume && existsSync(logFile))
      throw new AssayError(
        `${logFile} already holds an optimization of '${prompt.name}': continue it with --resume, or choose another --out folder`,
        2,
      );
  }

  const store = await openStore({ path: options.store ? resolve(cwd, options.store) : project.storePath });
  try {
    const checkModels = project.models.filter(
      (m) => project.checkModels?.includes(m.id) && m.id !== target.id && m.id !== proposer?.id,
    );
    const registry = openRunModels(
      [target, ...(proposer && proposer.id !== target.id ? [proposer] : []), ...checkModels],
      {
        root: project.root,
        cwd,
        env: options.env ?? process.env,
      },
    );
    // Every call is counted per model, so spend can be split by role (target, judge, proposer).
    const calls = new Map<string, number>();
    const ports = new Map<string, ModelPort>();
    const resolveModel = (id: string): ModelPort => {
      let port = ports.get(id);
      if (!port) {
        port = countingPort(registry.resolve(id), () => calls.set(id, (calls.get(id) ?? 0) + 1));
        ports.set(id, port);
      }
      return port;
    };
    const priceTable = projectPriceTable(project);
    const budget = new Budget({ cap: options.maxCost });
    const runProject = (spec: PromptSpec): Project => ({
      ...project,
      prompts: project.prompts.map((p) => (p.name === spec.name ? spec : p)),
      models: [target, ...checkModels],
    });

    // Pre-flight estimate: one full dev evaluation per hypothesis (an upper bound: the probe is part of it
    // through the cache), the baseline, two test looks and one proposer call per hypothesis.
    const runBase = {
      checkModels,
      store,
      resolveModel,
      prompts: [prompt.name],
      models: [target.id],
      suite: suite.name,
      repeats,
      cache: false,
      ...(options.maxCost !== undefined ? { maxCost: options.maxCost } : {}),
    };
    const devEstimate = await estimateRun({
      ...runBase,
      project: runProject(prompt),
      filter: { split: 'dev' },
    });
    const testEstimate = test.length
      ? await estimateRun({ ...runBase, project: runProject(prompt), filter: { split: 'test' } })
      : undefined;
    const proposerInput = Math.ceil((prompt.raw.length + 4000) / 4);
    const proposerCost = proposer
      ? (priceTable.priceOf(resolveModel(proposer.id), {
          inputTokens: proposerInput,
          outputTokens: DEFAULT_OUTPUT_TOKENS * 2,
        }) ?? (proposer.id.startsWith('fake:') || proposer.id.startsWith('local:') ? 0 : null))
      : 0;
    if (options.maxCost !== undefined && proposer && proposerCost === null)
      throw new ConfigError(
        `cannot enforce --max-cost: the price of the proposer ${proposer.id} is unknown`,
        {
          field: '--proposer',
          hint: 'add its price to the prices file (`prices:` in the config, USD per million tokens)',
        },
      );
    const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
    const perHypothesis = {
      calls: devEstimate.calls + (proposer ? 1 : 0),
      inputTokens: devEstimate.inputTokens + (proposer ? proposerInput : 0),
      outputTokens: devEstimate.outputTokens + (proposer ? DEFAULT_OUTPUT_TOKENS * 2 : 0),
      cost: add(devEstimate.cost, proposerCost),
    };
    const fixedPart = {
      calls: devEstimate.calls + 2 * (testEstimate?.calls ?? 0),
      cost: add(
        devEstimate.cost,
        testEstimate ? (testEstimate.cost === null ? null : 2 * testEstimate.cost) : 0,
      ),
    };
    const affordable =
      options.maxCost === undefined || perHypothesis.cost === null || fixedPart.cost === null
        ? null
        : perHypothesis.cost === 0
          ? maxHypotheses
          : Math.max(0, Math.floor((options.maxCost - fixedPart.cost) / perHypothesis.cost));
    const estimate: OptimizeEstimate = {
      devCalls: devEstimate.calls,
      testCalls: testEstimate?.calls ?? 0,
      perHypothesis,
      total: {
        calls: fixedPart.calls + maxHypotheses * perHypothesis.calls,
        inputTokens:
          devEstimate.inputTokens +
          2 * (testEstimate?.inputTokens ?? 0) +
          maxHypotheses * perHypothesis.inputTokens,
        outputTokens:
          devEstimate.outputTokens +
          2 * (testEstimate?.outputTokens ?? 0) +
          maxHypotheses * perHypothesis.outputTokens,
        cost: add(fixedPart.cost, perHypothesis.cost === null ? null : maxHypotheses * perHypothesis.cost),
      },
      hypothesesAffordable: affordable,
    };
    const warnings: string[] = [];
    if (affordable !== null && affordable < 3)
      warnings.push(
        `the budget affords about ${affordable} hypothesis(es) after the baseline and the test looks (fewer than 3): raise --max-cost or lower --repeat`,
      );
    if (test.length === 0)
      warnings.push(`suite '${suite.name}' has no test split: nothing held out can veto an overfit prompt`);
    else if (test.length < 10)
      warnings.push(`the test split has only ${test.length} case(s): its veto is weak evidence`);
    if (estimate.total.cost === null)
      warnings.push('the cost is unknown: a model has no known price (add it to the prices file)');
    say(describeEstimate(estimate));
    for (const w of warnings) say(`warning: ${w}`);
    const emptyResult = (stopReason: string): OptimizeResult => ({
      outDir,
      log: logFile,
      story: null,
      estimate,
      warnings,
      initialVersion: prompt.version,
      finalVersion: prompt.version,
      accepted: 0,
      tried: 0,
      stopReason,
      final: null,
      testLooks: 0,
      spend: { target: zero(), judge: zero(), proposer: zero(), total: 0 },
      exitCode: 0,
    });
    if (options.dryRun) return emptyResult('dry run: nothing was sent');

    await mkdir(outDir, { recursive: true });
    const now = () => new Date().toISOString();
    const log = async (r: LogRecord) => appendFile(logFile, logLine(r));
    let spend = { target: zero(), judge: zero(), proposer: zero() };

    /** One evaluation of a prompt text through the engine (cache on, the one budget). */
    const measure = async (
      text: string,
      split: 'dev' | 'test',
      caseIds?: string[],
    ): Promise<{ outcomes: Outcomes; incomplete?: 'interrupted' | 'over-budget' }> => {
      const spec = parsePrompt(text, prompt.file);
      const results: ResultRecord[] = [];
      const spentBefore = budget.spent;
      const callsBefore = new Map(calls);
      const outcome = await runEval({
        ...runBase,
        project: runProject(spec),
        filter: { split, ...(caseIds ? { caseIds } : {}) },
        cache: true,
        budget,
        ...(options.signal ? { signal: options.signal } : {}),
        onResult: (r) => results.push(r),
      });
      const targetCost = results.reduce((s, r) => s + (r.cost ?? 0), 0);
      spend.target.calls += (calls.get(target.id) ?? 0) - (callsBefore.get(target.id) ?? 0);
      spend.target.cached += results.filter((r) => r.cached).length;
      spend.target.cost += targetCost;
      for (const m of checkModels) spend.judge.calls += (calls.get(m.id) ?? 0) - (callsBefore.get(m.id) ?? 0);
      spend.judge.cost += Math.max(0, budget.spent - spentBefore - targetCost);
      return {
        outcomes: caseOutcomes(results),
        ...(outcome.incomplete ? { incomplete: outcome.incomplete } : {}),
      };
    };

    // State: fresh, or from the checkpoint.
    let state: Checkpoint;
    if (options.resume) {
      state = JSON.parse(await readFile(checkpointFile, 'utf8')) as Checkpoint;
      if (state.prompt !== prompt.name || state.suite !== suite.name)
        throw new AssayError(
          `the checkpoint in ${outDir} is for prompt '${state.prompt}' on suite '${state.suite}', not '${prompt.name}' on '${suite.name}'`,
          2,
        );
      await log({ type: 'resume', at: now(), step: state.step });
      // What earlier sessions spent counts against the cap.
      budget.record(state.spend.total);
      say(`resuming after step ${state.step} (${state.accepted} accepted)`);
    } else {
      state = {
        schema: 1,
        prompt: prompt.name,
        suite: suite.name,
        initialText: prompt.raw,
        incumbentText: prompt.raw,
        step: 0,
        tests: 0,
        accepted: 0,
        consecutiveRejections: 0,
        seen: [normalizePromptText(prompt.raw)],
        attempts: {},
        tried: [],
        steps: [],
        testLooks: 0,
        spend: { target: zero(), judge: zero(), proposer: zero(), total: 0 },
      };
      await log({
        type: 'start',
        at: now(),
        schema: 1,
        prompt: prompt.name,
        file: prompt.file,
        version: prompt.version,
        suite: suite.name,
        model: target.id,
        proposer: options.manual ? 'person (--manual)' : (proposer?.id ?? ''),
        repeats,
        alpha,
        devCases: dev.length,
        testCases: test.length,
        protected: [...protectedIds].sort(),
        estimate,
        warnings,
      });
    }
    spend = state.spend;
    const saveCheckpoint = async () => {
      state.spend.total = budget.spent;
      const tmp = `${checkpointFile}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
      await rename(tmp, checkpointFile);
    };
    const promptPath = resolve(project.root, prompt.file);
    const writePromptFile = async (text: string) => {
      const tmp = `${promptPath}.${process.pid}.tmp`;
      await writeFile(tmp, text);
      await rename(tmp, promptPath);
    };
    const initialSpec = parsePrompt(state.initialText, prompt.file);
    await recordPromptVersions(store, [initialSpec], { root: project.root });

    // Baseline of the initial prompt (cached when resuming), then the incumbent's own measurement.
    say(`baseline: ${dev.length} dev case(s) × ${repeats} repeat(s) on ${target.id}`);
    const base = await measure(state.initialText, 'dev');
    const baseline = base.outcomes;
    if (!options.resume)
      await log({
        type: 'baseline',
        at: now(),
        version: initialSpec.version,
        passAt1: rateOf(baseline, dev),
        cases: [...baseline.values()].map((o) => ({
          id: o.caseId,
          passes: o.passes,
          n: o.n,
          errors: o.errors,
        })),
      });
    let incumbent =
      state.incumbentText === state.initialText
        ? baseline
        : (await measure(state.incumbentText, 'dev')).outcomes;
    say(`baseline dev pass@1 ${pctText(rateOf(baseline, dev))}`);

    const suiteTexts: SuiteText[] = suite.cases.map((c) => ({
      caseId: c.id,
      split: c.split === 'test' ? 'test' : 'dev',
      inputs: [
        ...flattenStrings(c.vars),
        ...(c.messages ?? []).map((m) => m.content),
        ...flattenStrings(c.turns),
      ],
      expected: [...flattenStrings(c.expected), ...flattenStrings(c.checks)],
    }));
    const devById = new Map(dev.map((c) => [c.id, c]));
    const services = proposer
      ? createCheckServices({
          models: [proposer],
          resolveModel,
          store,
          cacheRead: true,
          budget,
          priceTable,
          ...(options.signal ? { signal: options.signal } : {}),
        })
      : undefined;

    let stopReason = base.incomplete === 'over-budget' ? 'budget exhausted during the baseline' : '';
    if (base.incomplete === 'interrupted') stopReason = 'interrupted';
    // Cut short (Ctrl-C, budget, a failed call) in the middle of something: no final verdict, resumable.
    let unfinished = base.incomplete !== undefined;
    while (!stopReason) {
      if (options.signal?.aborted) {
        stopReason = 'interrupted';
        break;
      }
      if (state.step >= maxHypotheses) {
        stopReason = `tried ${maxHypotheses} hypotheses (--max-hypotheses)`;
        break;
      }
      if (state.consecutiveRejections >= patience) {
        stopReason = `${patience} hypotheses in a row were rejected`;
        break;
      }
      if (
        budget.limited &&
        perHypothesis.cost !== null &&
        budget.remaining < perHypothesis.cost + 2 * (testEstimate?.cost ?? 0)
      ) {
        stopReason = 'the budget left cannot pay for another hypothesis';
        break;
      }
      const clusters = clusterFailures(incumbent);
      if (clusters.length === 0) {
        stopReason = 'every dev case passes';
        break;
      }
      const cluster = pickCluster(clusters, state.attempts, MAX_ATTEMPTS_PER_CLUSTER);
      if (!cluster) {
        stopReason = 'every failure cluster has been tried';
        break;
      }
      state.attempts[cluster.signature] = (state.attempts[cluster.signature] ?? 0) + 1;
      state.step++;
      const stepNo = state.step;
      say(`step ${stepNo}: cluster “${cluster.signature}” (${cluster.caseIds.length} case(s))`);
      const failing = cluster.caseIds
        .slice(0, 6)
        .map((id) => shownCase(devById.get(id) as CaseSpec, incumbent.get(id)));
      const passing = [...incumbent.values()]
        .filter((o) => passedReliably(o) && devById.has(o.caseId))
        .slice(0, 2)
        .map((o) => shownCase(devById.get(o.caseId) as CaseSpec, o));
      // Belt and braces: the proposer sees dev cases only.
      for (const c of [...failing, ...passing])
        if (!devById.has(c.caseId)) throw new Error(`internal: case ${c.caseId} is not a dev case`);

      const record: StepRecord = {
        type: 'step',
        at: '',
        step: stepNo,
        proposer: options.manual ? 'person' : 'model',
        cluster,
        diagnosis: '',
        evidence: [],
        hypothesis: '',
        editText: '',
        predicted: [],
        verdict: 'invalid',
        why: '',
      };
      let candidateText: string | undefined;
      const finish = async (verdict: StepVerdict, why: string) => {
        record.verdict = verdict;
        record.why = why;
        record.at = now();
        state.steps.push(record);
        state.tried.push({
          hypothesis: record.hypothesis || '(none)',
          edit: record.editText || '(none)',
          verdict,
          why: record.guards?.length ? record.guards.map((g) => g.public).join('; ') : why,
        });
        if (candidateText !== undefined) state.seen.push(normalizePromptText(candidateText));
        state.consecutiveRejections = verdict === 'accepted' ? 0 : state.consecutiveRejections + 1;
        await log(record);
        await saveCheckpoint();
        say(`  → ${verdict}: ${why}`);
        options.manual?.report(`${verdict}: ${why}`);
      };
      // A step cut short (Ctrl-C, budget) did not happen as far as the search goes: it is logged for the
      // record, and `--resume` redoes it from the start (its calls come back from the cache).
      const abandon = async (why: string) => {
        unfinished = true;
        state.step--;
        state.attempts[cluster.signature] = Math.max(0, (state.attempts[cluster.signature] ?? 1) - 1);
        stopReason = why;
        if (options.manual) await writePromptFile(state.incumbentText);
        await log({ ...record, verdict: 'stopped', why, at: now() });
        await saveCheckpoint();
        say(`  → stopped: ${why}`);
      };

      // Stage 0: a proposal, grounded, applied, and through the static guards — before any target call.
      if (options.manual) {
        await writePromptFile(state.incumbentText);
        const answer = await options.manual.propose({
          step: stepNo,
          cluster,
          failing,
          passing,
          promptFile: promptPath,
        });
        if (answer === 'stop') {
          state.step--;
          state.attempts[cluster.signature] = Math.max(0, (state.attempts[cluster.signature] ?? 1) - 1);
          stopReason = 'stopped by the person';
          await writePromptFile(state.incumbentText);
          await saveCheckpoint();
          break;
        }
        candidateText = (await readFile(promptPath, 'utf8')).replace(/\r\n?/g, '\n');
        record.diagnosis = `cluster “${cluster.signature}” shown to the person`;
        record.hypothesis = answer.hypothesis;
        record.predicted = (answer.predicted?.length ? answer.predicted : cluster.caseIds).filter((id) =>
          devById.has(id),
        );
        const d = diffLines(state.incumbentText.split('\n'), candidateText.split('\n')).filter(
          (l) => !l.startsWith('  '),
        );
        record.editText = `manual edit (${d.filter((l) => l.startsWith('+')).length} line(s) added, ${d.filter((l) => l.startsWith('-')).length} removed)`;
        record.diff = d;
      } else {
        const messages = proposerMessages({
          prompt: messageText(parsePromptDocument(state.incumbentText)),
          signature: cluster.signature,
          failing,
          passing,
          tried: state.tried,
        });
        await log({ type: 'proposer-request', at: now(), step: stepNo, model: proposer?.id ?? '', messages });
        let proposal: Proposal;
        try {
          const response = await (services as NonNullable<typeof services>).generate(
            (proposer as ModelConfig).id,
            {
              messages,
              settings: {},
            },
          );
          spend.proposer.calls += response.cached ? 0 : 1;
          spend.proposer.cached += response.cached ? 1 : 0;
          spend.proposer.cost += response.cost ?? 0;
          proposal = parseProposal(response.text);
        } catch (e) {
          if (/over budget/.test((e as Error).message)) {
            await abandon('the budget left cannot pay for the proposer');
            break;
          }
          if (!(e instanceof EditError)) {
            // A failed call (network, rate limit, a refusal) is not a verdict on the hypothesis.
            await abandon(
              options.signal?.aborted ? 'interrupted' : `the proposer call failed: ${(e as Error).message}`,
            );
            break;
          }
          await finish('invalid', e.message);
          continue;
        }
        Object.assign(record, {
          diagnosis: proposal.diagnosis,
          evidence: proposal.evidence,
          hypothesis: proposal.hypothesis,
          edit: proposal.edit,
          editText: describeEdit(proposal.edit),
          predicted: (proposal.predictedFixes.length ? proposal.predictedFixes : cluster.caseIds).filter(
            (id) => cluster.caseIds.includes(id),
          ),
        });
        if (record.predicted.length === 0) record.predicted = cluster.caseIds;
        const sources = [
          state.incumbentText,
          ...cluster.caseIds.flatMap((id) => incumbent.get(id)?.failedOutputs ?? []),
        ];
        const missing = unverifiedQuotes(proposal.evidence, sources);
        if (proposal.evidence.length === 0 || missing.length > 0) {
          await finish(
            'invalid',
            proposal.evidence.length === 0
              ? 'the diagnosis quotes no evidence'
              : `evidence not found in the failing outputs or the prompt: “${missing.join('”, “')}”`,
          );
          continue;
        }
        try {
          candidateText = applyEdit(state.incumbentText, proposal.edit);
        } catch (e) {
          if (!(e instanceof EditError)) throw e;
          await finish('invalid', e.message);
          continue;
        }
        record.diff = diffLines(state.incumbentText.split('\n'), candidateText.split('\n')).filter(
          (l) => !l.startsWith('  '),
        );
      }
      const violations = checkEdit({
        before: state.incumbentText,
        after: candidateText,
        initial: state.initialText,
        file: prompt.file,
        suite: suiteTexts,
        seen: new Set(state.seen),
      });
      if (violations.length > 0) {
        record.guards = violations;
        if (options.manual) await writePromptFile(state.incumbentText);
        await finish('refused', violations.map((v) => v.message).join('; '));
        continue;
      }

      // Stages 1 and 2: the cheap probe on the predicted cases, then the whole dev split (the probe's
      // samples come back from the cache), paired with the incumbent.
      const text = candidateText;
      let cutShort: 'interrupted' | 'over-budget' | undefined;
      const outcome = await evaluateCandidate({
        incumbent,
        predicted: record.predicted,
        protectedIds,
        alpha,
        testsSoFar: state.tests,
        repeats,
        measure: async (caseIds) => {
          const m = await measure(text, 'dev', caseIds ? [...caseIds] : undefined);
          cutShort = m.incomplete;
          return m.incomplete ? undefined : m.outcomes;
        },
      });
      if (outcome.probe)
        record.probe = {
          fixed: outcome.probe.fixed,
          cases: [...outcome.probe.outcomes.values()].map((o) => ({
            id: o.caseId,
            passes: o.passes,
            n: o.n,
          })),
        };
      if (outcome.stage === 'stopped') {
        await abandon(
          cutShort === 'over-budget' ? 'budget exhausted while measuring a candidate' : 'interrupted',
        );
        break;
      }
      if (outcome.stage === 'probe') {
        if (options.manual) await writePromptFile(state.incumbentText);
        await finish('refuted', outcome.why);
        continue;
      }
      state.tests = outcome.tests;
      record.test = outcome.tests;
      const { verdict, why, ...measured } = outcome.decision;
      record.measured = measured;
      if (verdict !== 'accepted') {
        if (options.manual) await writePromptFile(state.incumbentText);
        await finish(verdict, why);
        continue;
      }
      const spec = parsePrompt(candidateText, prompt.file);
      await recordPromptVersions(store, [spec], { root: project.root, message: record.hypothesis });
      await writePromptFile(candidateText);
      record.version = spec.version;
      state.incumbentText = candidateText;
      state.accepted++;
      incumbent = outcome.after;
      await finish('accepted', why);
    }
    if (!stopReason) stopReason = 'done';

    // The held-out test split: a veto on the final prompt only, each look counted.
    const finalSpec = parsePrompt(state.incumbentText, prompt.file);
    let final: OptimizeResult['final'] = null;
    const results: StoryData['results'] = [devResult(baseline, incumbent, dev)];
    const caseRows: StoryData['cases'] = caseTable(baseline, incumbent, dev, 'dev', protectedIds);
    const interrupted = stopReason === 'interrupted';
    if (!unfinished) {
      if (state.accepted === 0 || finalSpec.version === initialSpec.version) {
        final = { verdict: 'unchanged', why: 'no edit was accepted; the prompt is as it was' };
      } else if (test.length === 0) {
        final = { verdict: 'kept', why: 'no test split to confirm on (see warnings)' };
      } else {
        const looks: Outcomes[] = [];
        let cut = false;
        for (const [role, text] of [
          ['initial', state.initialText],
          ['final', state.incumbentText],
        ] as const) {
          const m = await measure(text, 'test');
          state.testLooks++;
          cut ||= m.incomplete !== undefined;
          looks.push(m.outcomes);
          await log({
            type: 'test-look',
            at: now(),
            look: state.testLooks,
            version: parsePrompt(text, prompt.file).version,
            role,
            passAt1: rateOf(m.outcomes, test),
            cases: [...m.outcomes.values()].map((o) => ({ id: o.caseId, passes: o.passes, n: o.n })),
          });
        }
        const [before, after] = looks as [Outcomes, Outcomes];
        results.push(devResult(before, after, test, 'test'));
        caseRows.push(...caseTable(before, after, test, 'test', protectedIds));
        const veto = cut ? undefined : testVeto(before, after, protectedIds);
        final = cut
          ? {
              verdict: 'unconfirmed',
              why: 'the test split could not be evaluated in full (budget or Ctrl-C)',
            }
          : veto
            ? { verdict: 'vetoed', why: veto }
            : { verdict: 'kept', why: 'the test split shows no regression' };
        if (veto) await writePromptFile(state.initialText);
      }
      await log({
        type: 'final',
        at: now(),
        verdict: final.verdict,
        why: final.why,
        version: final.verdict === 'vetoed' ? initialSpec.version : finalSpec.version,
      });
      await saveCheckpoint();
    }
    state.spend.total = budget.spent;
    const totalSpend = { ...spend, total: budget.spent };
    await log({
      type: 'end',
      at: now(),
      stopReason,
      initialVersion: initialSpec.version,
      finalVersion: final?.verdict === 'vetoed' ? initialSpec.version : finalSpec.version,
      accepted: state.accepted,
      tried: state.step,
      testLooks: state.testLooks,
      spend: totalSpend,
    });
    const story: StoryData = {
      prompt: prompt.name,
      file: prompt.file,
      suite: suite.name,
      model: target.id,
      proposer: options.manual ? 'a person (--manual)' : (proposer?.id ?? ''),
      repeats,
      alpha,
      suiteSummary: {
        dev: dev.length,
        test: test.length,
        protected: [...protectedIds].sort(),
        categories: countBy(suite.cases.map((c) => c.category ?? 'uncategorised')),
      },
      initialPrompt: state.initialText,
      finalPrompt: state.incumbentText,
      initialVersion: initialSpec.version,
      finalVersion: finalSpec.version,
      steps: state.steps,
      diff: diffPrompts(initialSpec, finalSpec),
      results,
      cases: caseRows,
      testLooks: state.testLooks,
      final: final ?? { verdict: 'unfinished', why: 'interrupted: resume with --resume' },
      stopReason,
      spend: totalSpend,
      warnings: [
        ...warnings,
        ...(state.testLooks > 0 ? [`the test split was looked at ${state.testLooks} time(s)`] : []),
      ],
    };
    const markdown = join(outDir, 'story.md');
    const html = join(outDir, 'story.html');
    await writeFile(markdown, renderStoryMarkdown(story));
    await writeFile(html, renderStoryHtml(story));
    return {
      outDir,
      log: logFile,
      story: { markdown, html },
      estimate,
      warnings,
      initialVersion: initialSpec.version,
      finalVersion: final?.verdict === 'vetoed' ? initialSpec.version : finalSpec.version,
      accepted: state.accepted,
      tried: state.step,
      stopReason,
      final,
      testLooks: state.testLooks,
      spend: totalSpend,
      exitCode: interrupted ? 130 : unfinished || /budget/.test(stopReason) ? 3 : 0,
    };
  } finally {
    await store.close();
  }
}

/** Reads an optimization's log (for tests and tools). */
export async function readExperimentLog(file: string): Promise<LogRecord[]> {
  return parseLog(await readFile(file, 'utf8'));
}

function zero(): Spend {
  return { calls: 0, cached: 0, cost: 0 };
}

function pickSuite(project: Project, name: string | undefined, promptName: string) {
  const candidates = project.suites.filter((s) => !s.prompts || s.prompts.includes(promptName));
  if (name) {
    const s = candidates.find((x) => x.name === name);
    if (!s)
      throw new ConfigError(`no suite named '${name}' applies to prompt '${promptName}'`, {
        field: '--suite',
        expected: `one of: ${candidates.map((x) => x.name).join(', ') || '(none)'}`,
      });
    return s;
  }
  if (candidates.length === 1) return candidates[0] as (typeof candidates)[number];
  throw new ConfigError(
    candidates.length === 0
      ? `no suite applies to prompt '${promptName}'`
      : `several suites apply to '${promptName}'`,
    { field: '--suite', expected: `one of: ${candidates.map((x) => x.name).join(', ') || '(add a suite)'}` },
  );
}

function pickTarget(project: Project, id: string | undefined, prompt: PromptSpec): ModelConfig {
  if (id) return selectModels(project, [id])[0] as ModelConfig;
  if (prompt.model) return selectModels(project, [prompt.model])[0] as ModelConfig;
  const targets = targetModels(project);
  if (targets.length === 1) return targets[0] as ModelConfig;
  throw new ConfigError(
    targets.length === 0 ? 'no model to optimize against' : 'several models are configured',
    {
      field: '--model',
      expected: `the target model: one of ${project.models.map((m) => m.id).join(', ') || '(none configured)'}`,
    },
  );
}

/** A port that reports each call it makes (cache hits never reach it). */
function countingPort(port: ModelPort, onCall: () => void): ModelPort {
  return new Proxy(port, {
    get(t, k) {
      if (k === 'generate')
        return (req: Parameters<ModelPort['generate']>[0]) => {
          onCall();
          return t.generate(req);
        };
      const v = Reflect.get(t, k, t);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  });
}

function flattenStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(flattenStrings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(flattenStrings);
  return [];
}

function shownCase(c: CaseSpec, o: CaseOutcome | undefined): ShownCase {
  const input = [
    ...Object.entries(c.vars).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`),
    ...(c.messages ?? []).map((m) => `${m.role}: ${m.content}`),
  ].join('\n');
  const outputs = o && o.failedOutputs.length > 0 ? o.failedOutputs : [];
  return {
    caseId: c.id,
    input,
    outputs,
    reasons: o?.reasons ?? [],
    ...(c.expected !== undefined
      ? { expected: typeof c.expected === 'string' ? c.expected : JSON.stringify(c.expected) }
      : {}),
  };
}

function rateOf(outcomes: Outcomes, cases: CaseSpec[]): RateWithInterval {
  const rates = cases
    .filter((c) => (outcomes.get(c.id)?.n ?? 0) > 0)
    .map((c) => passRate(outcomes.get(c.id)));
  const r = passAt1Interval(rates, { seed: 0 });
  return { estimate: r.estimate, lower: r.lower, upper: r.upper, n: r.n };
}

function pctText(r: RateWithInterval): string {
  return `${(100 * r.estimate).toFixed(1)}% [${(100 * r.lower).toFixed(1)}%, ${(100 * r.upper).toFixed(1)}%] (n=${r.n})`;
}

function devResult(
  before: Outcomes,
  after: Outcomes,
  cases: CaseSpec[],
  split: 'dev' | 'test' = 'dev',
): StoryData['results'][number] {
  const d = judgeDev({ before, after, predicted: [], protectedIds: new Set(), alpha: 1, repeats: 1 });
  return { split, before: rateOf(before, cases), after: rateOf(after, cases), difference: d.difference };
}

/** Each case's passes before → after, and what changed (fixed, broken, better, worse). */
function caseTable(
  before: Outcomes,
  after: Outcomes,
  cases: CaseSpec[],
  split: 'dev' | 'test',
  protectedIds: ReadonlySet<string>,
): StoryData['cases'] {
  const count = (o: CaseOutcome | undefined) =>
    o ? `${o.passes}/${o.n}${o.errors ? ` (+${o.errors} errors)` : ''}` : '–';
  return cases.map((c) => {
    const x = before.get(c.id);
    const y = after.get(c.id);
    const change =
      !passesMostly(x) && passesMostly(y)
        ? 'fixed'
        : passesMostly(x) && !passesMostly(y)
          ? 'broken'
          : passRate(y) > passRate(x)
            ? 'better'
            : passRate(y) < passRate(x)
              ? 'worse'
              : '';
    return { id: c.id, split, protected: protectedIds.has(c.id), before: count(x), after: count(y), change };
  });
}

/** Why the test split vetoes the final prompt, or undefined when it does not. */
export function testVeto(
  before: Outcomes,
  after: Outcomes,
  protectedIds: ReadonlySet<string>,
): string | undefined {
  const broken: string[] = [];
  for (const [id, x] of before) {
    const y = after.get(id);
    if (!y || y.n === 0) continue;
    if (
      (passedReliably(x) && !passesMostly(y) && 2 * y.passes < y.n) ||
      (protectedIds.has(id) && passRate(y) < passRate(x))
    )
      broken.push(id);
  }
  if (broken.length > 0)
    return `${broken.length} held-out case(s) that passed before now fail: ${broken.join(', ')}`;
  const mean = (m: Outcomes) => {
    const xs = [...before.keys()].filter((id) => (m.get(id)?.n ?? 0) > 0).map((id) => passRate(m.get(id)));
    return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0;
  };
  if (mean(after) < mean(before))
    return `the test split's pass@1 fell from ${(100 * mean(before)).toFixed(1)}% to ${(100 * mean(after)).toFixed(1)}%`;
  return undefined;
}

function countBy(xs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
