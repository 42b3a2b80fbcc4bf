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
  report: EvalReport;
  exitCode: number;
}

/** The `assay eval` job as a library call: load, check, run, store, summarise. */
export async function evaluate(options: EvaluateOptions = {}): Promise<EvaluateResult> {
  const project = await loadProject({ cwd: options.cwd ?? process.cwd(), configPath: options.config });
  const store = openSqliteStore(options.store ? resolve(options.cwd ?? process.cwd(), options.store) : project.storePath);
  try {
    let prompts = options.prompts;
    let models = options.models;
    let repeats = options.repeats;
    let resume: string | undefined;
    if (options.resume !== undefined) {
      const run = await store.findRun(options.resume);
      if (!run) throw new AssayError(`no run '${options.resume}' in ${project.storePath}; see \`assay runs list\``, 2);
      if (run.status === 'completed')
        throw new AssayError(`run ${run.id} is already complete; nothing to resume`, 2);
      resume = run.id;
      prompts = run.manifest.prompts.map((p) => p.name);
      models = run.manifest.models.map((m) => m.id);
      repeats = run.manifest.repeats;
    }
    const modelConfigs = selectModels(project, models, options.baseUrl);
    const runProject: Project = { ...project, models: modelConfigs };
    const registry = await createModelRegistry(modelConfigs, { root: project.root, env: options.env ?? process.env });
    // Resolve every model before anything is sent: a missing key or bad id fails fast (exit 2).
    for (const m of modelConfigs) withModelHelp(() => registry.resolve(m.id), m.id);
    const outcome = await runEval({
      project: runProject,
      store,
      resolveModel: (id) => registry.resolve(id),
      prompts,
      models: modelConfigs.map((m) => m.id),
      suite: options.suite,
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
    const report = await buildEvalReport({
      store,
      run: outcome.run,
      threshold: options.threshold ?? project.defaults.threshold,
      maxErrorRate: options.maxErrorRate ?? project.defaults.maxErrorRate,
      retries: outcome.retries,
      incomplete: outcome.incomplete,
      interruptExitCode: options.interruptExitCode,
    });
    return { report, exitCode: report.exitCode };
  } finally {
    await store.close();
  }
}

/** `--dry-run`: calls, tokens and cost a run would need, nothing sent. */
export async function estimate(options: EvaluateOptions = {}): Promise<DryRunEstimate> {
  const project = await loadProject({ cwd: options.cwd ?? process.cwd(), configPath: options.config });
  const store = openSqliteStore(options.store ? resolve(options.cwd ?? process.cwd(), options.store) : project.storePath);
  try {
    const modelConfigs = selectModels(project, options.models, options.baseUrl);
    const registry = await createModelRegistry(modelConfigs, { root: project.root, env: options.env ?? process.env });
    return await estimateRun({
      project: { ...project, models: modelConfigs },
      store,
      resolveModel: (id) => registry.resolve(id),
      prompts: options.prompts,
      models: modelConfigs.map((m) => m.id),
      suite: options.suite,
      filter: { split: options.split, category: options.category, tag: options.tag },
      repeats: options.repeats,
      maxCost: options.maxCost,
      cache: options.cache,
    });
  } finally {
    await store.close();
  }
}

const providers = ['openai', 'anthropic', 'google', 'openai-compatible', 'fake', 'local'];

/** The models a run uses: named ones (configured, or added for this run), else every configured one. */
export function selectModels(project: Project, ids: string[] | undefined, baseUrl?: string): ModelConfig[] {
  if (!ids || ids.length === 0) {
    if (project.models.length === 0) throw new ConfigError(noModelsMessage(), { file: project.configFile, field: 'models' });
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
