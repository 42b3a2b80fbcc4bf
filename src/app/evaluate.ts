import { resolve } from 'node:path';
import type { ModelConfig, Project } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { estimateRun, runEval } from '../engine/run-engine.ts';
import type { DryRunEstimate, Progress } from '../engine/run-options.ts';
import { createModelRegistry } from '../models/model-registry.ts';
import { loadProject } from '../project/load-project.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import { buildEvalReport } from './build-eval-report.ts';
import { waysOutText, withModelHelp } from './no-model-help.ts';

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
  /** Exit code to report when `signal` stopped the run (130 for SIGINT, 143 for SIGTERM). */
  interruptExitCode?: number;
  onProgress?: (p: Progress) => void;
  /** Run store file, instead of the project's configured one. */
  store?: string;
  /** Overrides the environment API keys are read from (tests). */
  env?: NodeJS.ProcessEnv;
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
}

/** The `assay eval` job as a library call: load, check, run, store, summarise. */
export async function evaluate(options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const cwd = options.cwd ?? process.cwd();
  const project = await loadProject({ cwd, configPath: options.config });
  const store = openSqliteStore(options.store ? resolve(cwd, options.store) : project.storePath);
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
    const registry = await createModelRegistry(modelConfigs, {
      root: project.root,
      env: options.env ?? process.env,
    });
    // Resolve every model before anything is sent: a missing key or bad id fails fast (exit 2).
    for (const m of modelConfigs) withModelHelp(() => registry.resolve(m.id), m.id);
    const plan = planSuites(project, suiteName, promptNames);
    const runProject: Project = { ...project, models: modelConfigs };
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
      const outcome = await runEval({
        project: runProject,
        store,
        resolveModel: (id) => registry.resolve(id),
        prompts,
        models: modelConfigs.map((m) => m.id),
        suite,
        filter: { split: options.split, category: options.category, tag: options.tag },
        repeats,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        maxRetries: options.maxRetries,
        maxCost: options.maxCost,
        cache: options.cache,
        resume,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      reports.push(
        await buildEvalReport({
          store,
          run: outcome.run,
          threshold: options.threshold ?? project.defaults.threshold,
          maxErrorRate: options.maxErrorRate ?? project.defaults.maxErrorRate,
          retries: outcome.retries,
          incomplete: outcome.incomplete,
          interruptExitCode: options.interruptExitCode,
        }),
      );
    }
    const [first] = reports;
    if (!first) throw new AssayError('nothing was evaluated', 2);
    return { reports, report: first, exitCode: worstExitCode(reports.map((r) => r.exitCode)), notStarted };
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

function worstExitCode(codes: number[]): number {
  const rank = (c: number) => (c === 130 || c === 143 ? 4 : c === 3 ? 3 : c === 1 ? 2 : c === 0 ? 0 : 1);
  return codes.reduce((a, b) => (rank(b) > rank(a) ? b : a), 0);
}

/** `--dry-run`: calls, tokens and cost a run would need, nothing sent. */
export async function estimate(options: EvaluateOptions = {}): Promise<DryRunEstimate> {
  const cwd = options.cwd ?? process.cwd();
  const project = await loadProject({ cwd, configPath: options.config });
  const store = openSqliteStore(options.store ? resolve(cwd, options.store) : project.storePath);
  try {
    const modelConfigs = selectModels(project, options.models, options.baseUrl);
    const registry = await createModelRegistry(modelConfigs, {
      root: project.root,
      env: options.env ?? process.env,
    });
    const parts: DryRunEstimate[] = [];
    for (const { suite, prompts } of planSuites(project, options.suite, options.prompts))
      parts.push(
        await estimateRun({
          project: { ...project, models: modelConfigs },
          store,
          resolveModel: (id) => registry.resolve(id),
          prompts,
          models: modelConfigs.map((m) => m.id),
          suite,
          filter: { split: options.split, category: options.category, tag: options.tag },
          repeats: options.repeats,
          maxCost: options.maxCost,
          cache: options.cache,
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
  return {
    calls: parts.reduce((n, p) => n + p.calls, 0),
    cachedCalls: parts.reduce((n, p) => n + p.cachedCalls, 0),
    inputTokens: parts.reduce((n, p) => n + p.inputTokens, 0),
    outputTokens: parts.reduce((n, p) => n + p.outputTokens, 0),
    cost: parts.reduce<number | null>((c, p) => add(c, p.cost), 0),
    perModel: [...perModel.values()],
    assumptions: [...new Set(parts.flatMap((p) => p.assumptions))],
  };
}

const providers = ['openai', 'anthropic', 'google', 'openai-compatible', 'fake', 'local'];

/** The models a run uses: named ones (configured, or added for this run), else every configured one. */
export function selectModels(project: Project, ids: string[] | undefined, baseUrl?: string): ModelConfig[] {
  if (!ids || ids.length === 0) {
    if (project.models.length === 0)
      throw new ConfigError(noModelsMessage(), { file: project.configFile, field: 'models' });
    return project.models;
  }
  return ids.map((id) => {
    const known = project.models.find((m) => m.id === id);
    if (known) return baseUrl ? { ...known, baseUrl } : known;
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

function noModelsMessage(): string {
  return `no model is configured, so there is nothing to evaluate with.\n${waysOutText()}`;
}
