import { resolve } from 'node:path';
import type { ModelConfig, Project } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import type { CaseSpec, RunRecord } from '../core/types.ts';
import { Budget } from '../engine/budget.ts';
import type { ManifestOptions } from '../engine/build-manifest.ts';
import { planRun, targetModels } from '../engine/plan-run.ts';
import { estimateRun, runEval } from '../engine/run-engine.ts';
import type { DryRunEstimate, Progress } from '../engine/run-options.ts';
import { readValidationRecord } from '../judges/corrected-pass-rate.ts';
import { judgeStatus } from '../judges/judge-status.ts';
import { suiteJudges } from '../judges/suite-judges.ts';
import { loadProject } from '../project/load-project.ts';
import { recordPromptVersions } from '../registry/record-prompt-versions.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import { openStore } from '../store/open-store.ts';
import { buildEvalReport } from './build-eval-report.ts';
import { noModelMessage } from './no-model-help.ts';
import { openRunModels } from './open-run-models.ts';
import { runSuiteExpected } from './suite-expected.ts';
import { variantWarnings } from './variant-warnings.ts';
import { defaultLocalModelConfig, withDefaultModel } from './with-default-model.ts';
import { checkExportTarget, formatForFile, writeExportFile } from './write-export-file.ts';

export interface EvaluateOptions {
  /** Project folder (default: process.cwd()). */
  cwd?: string;
  /** Config file path, when not the default name in cwd. */
  config?: string;
  /** Prompt names to run (default: all). */
  prompts?: string[];
  /**
   * Model ids to run (default: all configured). An id that is not configured is added for this run only
   * (for `openai-compatible:` give `baseUrl`).
   */
  models?: string[];
  baseUrl?: string;
  suite?: string;
  split?: 'dev' | 'test';
  category?: string;
  tag?: string;
  repeats?: number;
  concurrency?: number;
  timeoutMs?: number;
  maxRetries?: number;
  maxCost?: number;
  maxErrorRate?: number;
  threshold?: number;
  cache?: boolean;
  /** Resume a run by id, prefix or `latest`. */
  resume?: string;
  signal?: AbortSignal;
  /** After `signal`: abort the calls still in flight at once (finished results are still saved). */
  force?: AbortSignal;
  /** Exit code to report when `signal` stopped the run (130 for SIGINT, 143 for SIGTERM). */
  interruptExitCode?: number;
  onProgress?: (p: Progress) => void;
  /** Run store file, instead of the project's configured one. */
  store?: string;
  /** Export files written when the runs end, one per path; the format comes from the extension. */
  outputs?: string[];
  /** Overrides the environment API keys are read from (tests). */
  env?: NodeJS.ProcessEnv;
  /**
   * Record every answered model call into this folder (resolved against cwd). Cache reads are off so
   * every call is made and recorded. See docs/models.md, "Record and replay".
   */
  record?: string;
  /**
   * Answer every model call from the recordings in this folder (resolved against cwd): no network, no
   * API key, cache reads off. A call with no recording is an error result naming the request.
   */
  replay?: string;
  /** Why this change: recorded with each prompt version the run evaluates for the first time. */
  message?: string;
}

export interface EvaluateResult {
  /** One report per suite evaluated (a run covers one suite; see docs/decisions/0003). */
  reports: EvalReport[];
  /** The first report: the whole result when the project has one suite. */
  report: EvalReport;
  /** Most severe exit code over the runs: interrupted (130/143) > incomplete (3) > threshold (1) > 0. */
  exitCode: number;
  /** Suites not started because an earlier run was interrupted or stopped by the budget. */
  notStarted: string[];
  /** Suites left out because the selection (filters, prompts) leaves them nothing to run, and why. */
  skipped: { suite: string; reason: string }[];
}

/** The `assay eval` job as a library call: load, check, run, store, summarise. */
export async function evaluate(options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const cwd = options.cwd ?? process.cwd();
  // A bad extension or a missing folder fails before any call.
  for (const file of options.outputs ?? []) checkExportTarget(resolve(cwd, file));
  // No model named anywhere: the pulled default local model, or exit 2 at once (before the store opens).
  const project = await withDefaultModel(await loadProject({ cwd, configPath: options.config }), options);
  const store = await openStore({ path: options.store ? resolve(cwd, options.store) : project.storePath });
  try {
    let promptNames = options.prompts;
    let modelIds = options.models;
    let repeats = options.repeats;
    let suiteName = options.suite;
    let resume: string | undefined;
    if (options.resume !== undefined) {
      const run = await store.findRun(options.resume);
      if (!run) throw new AssayError(`no run '${options.resume}' in the store; see \`assay runs list\``, 2);
      resume = run.id;
      promptNames = run.manifest.prompts.map((p) => p.name);
      modelIds = run.manifest.models.map((m) => m.id);
      repeats = run.manifest.repeats;
      suiteName = run.manifest.suite.name;
    }
    const modelConfigs = selectModels(project, modelIds, options.baseUrl);
    // Resolves every model before anything is sent: a missing key or bad id fails fast (exit 2).
    // Models the checks call (judges) are opened too, without becoming targets of the run.
    const checkModels = project.models.filter(
      (m) => project.checkModels?.includes(m.id) && !modelConfigs.some((x) => x.id === m.id),
    );
    const registry = openRunModels([...modelConfigs, ...checkModels], {
      root: project.root,
      cwd,
      env: options.env ?? process.env,
      record: options.record,
      replay: options.replay,
    });
    const runProject: Project = { ...project, models: modelConfigs };
    const filter = { split: options.split, category: options.category, tag: options.tag };
    // Every suite is planned before the first call: a selection that leaves one suite empty skips it
    // (named in `skipped`); one that leaves every suite empty is an error, and nothing is sent.
    const skipped: { suite: string; reason: string }[] = [];
    const planned = planSuites(project, suiteName, promptNames);
    const plan = planned.filter(({ suite, prompts }) => {
      if (resume) return true;
      try {
        planRun(runProject, { prompts, models: modelConfigs.map((m) => m.id), suite, filter, repeats });
        return true;
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        skipped.push({ suite, reason: e.message });
        return false;
      }
    });
    if (plan.length === 0) throw new AssayError(skipped.map((x) => x.reason).join('\n'), 2);
    // One budget for the whole command, however many runs it starts.
    const resumed = resume ? await store.getRun(resume) : undefined;
    const recordedCap = resumed?.manifest.options.maxCost;
    // The filter the run really uses: a resume keeps the one it was started with.
    const runFilter = resumed ? (resumed.manifest.options as ManifestOptions).filter : filter;
    const cap = options.maxCost ?? recordedCap;
    const budget = cap === undefined ? undefined : new Budget({ cap });
    const reports: EvalReport[] = [];
    const notStarted: string[] = [];
    for (const { suite, prompts } of plan) {
      if (
        options.signal?.aborted ||
        reports.some((r) => r.incomplete === 'over-budget' || r.incomplete === 'interrupted')
      ) {
        notStarted.push(suite);
        continue;
      }
      // Counted before the run starts, so this run is not one of its own earlier looks.
      const cases = selectedCases(runProject, suite, prompts, modelConfigs, runFilter, repeats);
      const looks = cases.some((c) => c.split === 'test')
        ? testSplitLooksWarning(suite, await store.listRuns(), resumed)
        : [];
      const outcome = await runEval({
        project: runProject,
        checkModels,
        store,
        resolveModel: (id) => registry.resolve(id),
        prompts,
        models: modelConfigs.map((m) => m.id),
        suite,
        filter,
        repeats,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        maxRetries: options.maxRetries,
        maxCost: cap,
        budget,
        cache: options.record !== undefined || options.replay !== undefined ? false : options.cache,
        resume,
        signal: options.signal,
        force: options.force,
        onProgress: options.onProgress,
      });
      await recordPromptVersions(
        store,
        project.prompts.filter((p) => outcome.run.manifest.prompts.some((m) => m.version === p.version)),
        { root: project.root, gitCommit: outcome.run.manifest.git?.commit, message: options.message },
      );
      // Each judge's standing against human annotations: reported always, a warning unless validated.
      const judges = await Promise.all(
        suiteJudges(project, suite).map(async ([file, name]) => ({
          name,
          file,
          ...(await judgeStatus(file, { root: project.root })),
        })),
      );
      // A validated judge's record carries the TPR/TNR counts its pass rates are corrected with.
      const calibrated = await Promise.all(
        judges.map(async (j) =>
          j.status === 'validated' ? { ...j, record: await readValidationRecord(j.file, project.root) } : j,
        ),
      );
      const report = await buildEvalReport({
        store,
        run: outcome.run,
        threshold: options.threshold ?? project.defaults.threshold,
        maxErrorRate: options.maxErrorRate ?? project.defaults.maxErrorRate,
        retries: outcome.retries,
        ...(outcome.calls ? { calls: outcome.calls } : {}),
        ...(outcome.throttling ? { throttling: outcome.throttling } : {}),
        incomplete: outcome.incomplete,
        interruptExitCode: options.interruptExitCode,
        judges: calibrated,
        expected: runSuiteExpected(
          project.suites.find((s) => s.name === suite),
          outcome.run.manifest,
        ),
        warnings: [
          ...uncheckedCasesWarning(project, suite),
          ...unreviewedCasesWarning(cases),
          ...variantWarnings(project.prompts, outcome.run.manifest),
          ...undeclaredClustersWarning(project.suites.find((s) => s.name === suite)?.cases ?? [], cases),
          ...looks,
          ...judges
            .filter((j) => j.status !== 'validated')
            .map(
              (j) =>
                `judge '${j.name}' (${j.file}) is ${j.status}: ${j.reason}; its verdicts are not calibrated against human annotations (it may report, not gate)`,
            ),
        ],
      });
      reports.push(report);
    }
    const [first] = reports;
    if (!first) throw new AssayError('nothing was evaluated', 2);
    for (const file of options.outputs ?? [])
      await writeExportFile(
        resolve(cwd, file),
        formatForFile(file),
        reports.map((report) => ({
          report,
          results: () => store.iterateResults(report.run.id),
        })),
      );
    return {
      reports,
      report: first,
      exitCode: worstExitCode(reports.map((r) => r.exitCode)),
      notStarted,
      skipped,
    };
  } finally {
    await store.close();
  }
}

/** Which suites run, each with the prompts it applies to; errors when the selection leaves nothing. */
export function planSuites(project: Project, suite: string | undefined, prompts: string[] | undefined) {
  for (const name of prompts ?? [])
    if (!project.prompts.some((p) => p.name === name))
      throw new ConfigError(`no prompt named '${name}'`, {
        field: '--prompt',
        expected: `one of: ${project.prompts.map((p) => p.name).join(', ')}`,
      });
  const suites = suite ? project.suites.filter((s) => s.name === suite) : project.suites;
  if (suite && suites.length === 0)
    throw new ConfigError(`no suite named '${suite}'`, {
      field: '--suite',
      expected: `one of: ${project.suites.map((s) => s.name).join(', ')}`,
    });
  const plan = suites
    .map((s) => ({
      suite: s.name,
      prompts: project.prompts
        .map((p) => p.name)
        .filter((n) => (!s.prompts || s.prompts.includes(n)) && (!prompts || prompts.includes(n))),
    }))
    .filter((x) => x.prompts.length > 0);
  if (plan.length === 0)
    throw new ConfigError('the selected prompts and suites have nothing in common', {
      field: '--prompt',
      hint: 'check the `prompts:` list of each suite in the config',
    });
  return plan;
}

/** Drafted cases (`assay generate`) count in the numbers until reviewed: say how many, since they may be wrong. */
export function unreviewedCasesWarning(runCases: readonly CaseSpec[]): string[] {
  const n = runCases.filter((c) => c.review === 'unreviewed').length;
  if (n === 0) return [];
  return [
    `${n} of ${runCases.length} cases are unreviewed drafts: they count here but \`assay gate\` leaves them out; review them with \`assay suite review\``,
  ];
}

/** A case without checks passes whenever the model answers: say so rather than report a hollow 100%. */
function uncheckedCasesWarning(project: Project, suite: string): string[] {
  const checks = project.checks.get(suite);
  const cases = project.suites.find((s) => s.name === suite)?.cases ?? [];
  const bare = cases.filter((c) => (checks?.get(c.id)?.length ?? 0) === 0);
  if (bare.length === 0) return [];
  const ids =
    bare
      .slice(0, 5)
      .map((c) => c.id)
      .join(', ') + (bare.length > 5 ? ', …' : '');
  return [
    `${bare.length} of ${cases.length} cases of suite ${suite} have no checks (${ids}): they pass whenever the model answers; add checks or suite defaults.checks`,
  ];
}

/** The cases a run of `suite` covers; empty when the selection does not plan (runEval then says why). */
function selectedCases(
  project: Project,
  suite: string,
  prompts: string[],
  models: ModelConfig[],
  filter: ManifestOptions['filter'],
  repeats: number | undefined,
): CaseSpec[] {
  try {
    return planRun(project, { prompts, models: models.map((m) => m.id), suite, filter, repeats }).cases;
  } catch (e) {
    if (e instanceof ConfigError) return [];
    throw e;
  }
}

/** Key of a JSON-like value that is the same for deep-equal values (object keys sorted). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}

/**
 * Cases that share an expected answer (deep-equal, non-empty) or the same inputs (vars and prior turns)
 * are often paraphrases or copies of one question: without a declared `cluster` the intervals treat them
 * as independent and come out too narrow (stats-judges.md §8, general rules). Only when no case of the
 * suite declares a cluster; groups are looked for among the cases of the run.
 */
export function undeclaredClustersWarning(suiteCases: CaseSpec[], runCases: CaseSpec[]): string[] {
  if (suiteCases.some((c) => c.cluster !== undefined)) return [];
  const groupBy = (key: (c: CaseSpec) => string | undefined) => {
    const m = new Map<string, string[]>();
    for (const c of runCases) {
      const k = key(c);
      if (k !== undefined) m.set(k, [...(m.get(k) ?? []), c.id]);
    }
    return [...m.values()].filter((ids) => ids.length >= 2);
  };
  const byExpected = groupBy((c) => (isEmptyValue(c.expected) ? undefined : canonical(c.expected)));
  const byInputs = groupBy((c) =>
    isEmptyValue(c.vars) ? undefined : canonical({ vars: c.vars, messages: c.messages ?? [] }),
  );
  // A set of cases that shares both its answer and its inputs is one group, not two.
  const seen = new Set(byExpected.map((ids) => ids.join('\u0000')));
  const inputsOnly = byInputs.filter((ids) => !seen.has(ids.join('\u0000')));
  const groups = [...byExpected, ...inputsOnly];
  if (groups.length === 0) return [];
  const cases = new Set(groups.flat()).size;
  const largest = groups.reduce((a, b) => (b.length > a.length ? b : a));
  const what =
    inputsOnly.length === 0
      ? 'the same expected answer'
      : byExpected.length === 0
        ? 'the same vars'
        : 'the same expected answer or vars';
  const eg = largest.slice(0, 3).join(', ') + (largest.length > 3 ? ', …' : '');
  return [
    `${cases} cases share ${what} in ${groups.length} group${groups.length === 1 ? '' : 's'} (e.g. ${eg}); if they are paraphrases of one question, declare a cluster so intervals account for it`,
  ];
}

/**
 * Each evaluation of the test split is a look at the held-out set; counted over the store's earlier runs
 * of the suite whose filter did not restrict them to dev (stats-judges.md §8.4, split discipline).
 */
export function testSplitLooksWarning(suite: string, runs: RunRecord[], resumed?: RunRecord): string[] {
  const looks = runs.filter(
    (r) =>
      r.manifest.suite.name === suite &&
      (r.manifest.options as ManifestOptions).filter?.split !== 'dev' &&
      (!resumed || (r.id !== resumed.id && r.createdAt < resumed.createdAt)),
  ).length;
  if (looks === 0) return [];
  return [
    `the test split of suite ${suite} has been evaluated ${looks} time${looks === 1 ? '' : 's'} before this run; each look makes its estimate less trustworthy as a held-out number (use --split dev while iterating)`,
  ];
}

function worstExitCode(codes: number[]): number {
  const rank = (c: number) => (c === 130 || c === 143 ? 4 : c === 3 ? 3 : c === 1 ? 2 : c === 0 ? 0 : 1);
  return codes.reduce((a, b) => (rank(b) > rank(a) ? b : a), 0);
}

/** `--dry-run`: calls, tokens and cost a run would need, nothing sent. */
export async function estimate(options: EvaluateOptions = {}): Promise<DryRunEstimate> {
  const cwd = options.cwd ?? process.cwd();
  // No model named anywhere: the pulled default local model, or exit 2 at once (before the store opens).
  const project = await withDefaultModel(await loadProject({ cwd, configPath: options.config }), options);
  const store = await openStore({ path: options.store ? resolve(cwd, options.store) : project.storePath });
  try {
    const modelConfigs = selectModels(project, options.models, options.baseUrl);
    // Judge models are resolved too: the estimate counts and prices the judge checks' calls.
    const checkModels = project.models.filter(
      (m) => project.checkModels?.includes(m.id) && !modelConfigs.some((x) => x.id === m.id),
    );
    const registry = openRunModels([...modelConfigs, ...checkModels], {
      root: project.root,
      cwd,
      env: options.env ?? process.env,
      record: options.record,
      replay: options.replay,
    });
    const parts: DryRunEstimate[] = [];
    for (const { suite, prompts } of planSuites(project, options.suite, options.prompts))
      parts.push(
        await estimateRun({
          project: { ...project, models: modelConfigs },
          checkModels,
          store,
          resolveModel: (id) => registry.resolve(id),
          prompts,
          models: modelConfigs.map((m) => m.id),
          suite,
          filter: { split: options.split, category: options.category, tag: options.tag },
          repeats: options.repeats,
          maxCost: options.maxCost,
          cache: options.record !== undefined || options.replay !== undefined ? false : options.cache,
        }),
      );
    return mergeEstimates(parts);
  } finally {
    await store.close();
  }
}

function mergeEstimates(parts: DryRunEstimate[]): DryRunEstimate {
  const add = (a: number | null, b: number | null) => (a === null || b === null ? null : a + b);
  const perModel = new Map<string, DryRunEstimate['perModel'][number]>();
  for (const p of parts)
    for (const m of p.perModel) {
      const prev = perModel.get(m.modelId);
      perModel.set(
        m.modelId,
        prev
          ? {
              modelId: m.modelId,
              calls: prev.calls + m.calls,
              inputTokens: prev.inputTokens + m.inputTokens,
              outputTokens: prev.outputTokens + m.outputTokens,
              cost: add(prev.cost, m.cost),
            }
          : { ...m },
      );
    }
  const judgeCalls = new Map<string, NonNullable<DryRunEstimate['judgeCalls']>[number]>();
  for (const p of parts)
    for (const j of p.judgeCalls ?? []) {
      const prev = judgeCalls.get(j.modelId);
      judgeCalls.set(
        j.modelId,
        prev
          ? {
              modelId: j.modelId,
              judges: [...new Set([...prev.judges, ...j.judges])],
              calls: prev.calls + j.calls,
              cachedCalls: prev.cachedCalls + j.cachedCalls,
              inputTokens: prev.inputTokens + j.inputTokens,
              outputTokens: prev.outputTokens + j.outputTokens,
              cost: add(prev.cost, j.cost),
            }
          : { ...j, judges: [...j.judges] },
      );
    }
  return {
    calls: parts.reduce((n, p) => n + p.calls, 0),
    cachedCalls: parts.reduce((n, p) => n + p.cachedCalls, 0),
    inputTokens: parts.reduce((n, p) => n + p.inputTokens, 0),
    outputTokens: parts.reduce((n, p) => n + p.outputTokens, 0),
    cost: parts.reduce<number | null>((c, p) => add(c, p.cost), 0),
    perModel: [...perModel.values()],
    ...(judgeCalls.size > 0 ? { judgeCalls: [...judgeCalls.values()] } : {}),
    assumptions: [...new Set(parts.flatMap((p) => p.assumptions))],
  };
}

const providers = ['openai', 'anthropic', 'google', 'openai-compatible', 'fake', 'local'];

/** The models a run uses: named ones (configured, or added for this run), else every configured one. */
export function selectModels(project: Project, ids: string[] | undefined, baseUrl?: string): ModelConfig[] {
  if (!ids || ids.length === 0) {
    if (project.models.length === 0)
      throw new ConfigError(noModelMessage(), { file: project.configFile, field: 'models' });
    const targets = targetModels(project);
    if (targets.length === 0)
      throw new ConfigError(
        'every configured model is marked target: false, so there is nothing to evaluate with',
        {
          file: project.configFile,
          field: 'models',
          hint: "set 'target: true' on the model to evaluate, or pass --model ID",
        },
      );
    return targets;
  }
  return ids.map((id) => {
    const known = project.models.find((m) => m.id === id);
    if (known) return baseUrl ? { ...known, baseUrl } : known;
    if (id === defaultLocalModelConfig.id) return defaultLocalModelConfig;
    const provider = id.includes(':') ? id.slice(0, id.indexOf(':')) : '';
    if (!providers.includes(provider) || id.length <= provider.length + 1)
      throw new ConfigError(`'${id}' is not a model id`, {
        field: '--model',
        expected: `provider:name with provider one of ${providers.join(', ')}`,
      });
    if (provider === 'openai-compatible' && !baseUrl)
      throw new ConfigError(`model ${id} needs a base URL`, {
        field: '--model',
        expected: '--base-url http://HOST:PORT/v1 (e.g. http://127.0.0.1:11434/v1 for Ollama)',
      });
    return baseUrl ? { id, baseUrl } : { id };
  });
}
