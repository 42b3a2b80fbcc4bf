import type { ModelConfig, Project } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import type { CaseSpec, PromptSpec, Suite } from '../core/types.ts';

/** Which part of the project a run covers (the selection part of RunOptions). */
export interface PlanSelection {
  prompts?: string[];
  models?: string[];
  suite?: string;
  filter?: { split?: 'dev' | 'test'; category?: string; tag?: string; caseIds?: string[] };
  repeats?: number;
}

/** prompts × models × cases × repeats of one suite, selected and filtered; items are produced lazily. */
export interface RunPlan {
  suite: Suite;
  prompts: PromptSpec[];
  models: ModelConfig[];
  /** The suite's cases that pass the filter (references into the suite, not copies). */
  cases: CaseSpec[];
  repeats: number;
  /** prompts × models × cases × repeats. */
  size: number;
}

/** One planned model call; rendering happens just before the call, not here. */
export interface WorkItem {
  prompt: PromptSpec;
  model: ModelConfig;
  testCase: CaseSpec;
  repeat: number;
}

function listOf(names: string[]): string {
  return names.length ? names.join(', ') : '(none)';
}

/** Resolves the selection against the project. Unknown names and an empty selection are ConfigErrors. */
export function planRun(project: Project, sel: PlanSelection = {}): RunPlan {
  const suite =
    sel.suite === undefined ? project.suites[0] : project.suites.find((s) => s.name === sel.suite);
  if (!suite)
    throw sel.suite === undefined
      ? new ConfigError('the project has no suite to run', { file: project.configFile, field: 'suites' })
      : new ConfigError(`no suite named '${sel.suite}'`, {
          field: 'suite',
          expected: `one of: ${listOf(project.suites.map((s) => s.name))}`,
        });

  for (const name of sel.prompts ?? [])
    if (!project.prompts.some((p) => p.name === name))
      throw new ConfigError(`no prompt named '${name}'`, {
        field: 'prompts',
        expected: `one of: ${listOf(project.prompts.map((p) => p.name))}`,
      });
  const prompts = project.prompts.filter(
    (p) =>
      (!sel.prompts || sel.prompts.includes(p.name)) && (!suite.prompts || suite.prompts.includes(p.name)),
  );
  if (prompts.length === 0)
    throw new ConfigError(`no selected prompt applies to suite '${suite.name}'`, {
      field: 'prompts',
      hint: suite.prompts ? `the suite applies to: ${listOf(suite.prompts)}` : undefined,
    });

  let models: ModelConfig[];
  if (sel.models && sel.models.length > 0) {
    models = [];
    for (const id of sel.models) {
      const m = project.models.find((x) => x.id === id);
      if (!m)
        throw new ConfigError(`model ${id} is not configured`, {
          field: 'models',
          expected: `one of: ${listOf(project.models.map((x) => x.id))}`,
        });
      if (!models.includes(m)) models.push(m);
    }
  } else models = targetModels(project);
  if (models.length === 0)
    throw new ConfigError(
      project.models.length === 0
        ? 'no model is configured, so there is nothing to evaluate with'
        : 'every configured model is marked target: false, so there is nothing to evaluate with',
      {
        file: project.configFile,
        field: 'models',
        ...(project.models.length > 0
          ? { hint: "set 'target: true' on the model to evaluate, or pass --model ID" }
          : {}),
      },
    );

  const f = sel.filter ?? {};
  const ids = f.caseIds ? new Set(f.caseIds) : undefined;
  const cases = suite.cases.filter(
    (c) =>
      (!f.split || (c.split ?? 'dev') === f.split) &&
      (!f.category || c.category === f.category) &&
      (!f.tag || c.tags.includes(f.tag)) &&
      (!ids || ids.has(c.id)),
  );
  if (cases.length === 0) {
    const used = Object.entries(f)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : v}`);
    throw new ConfigError(
      used.length
        ? `no case of suite '${suite.name}' matches ${used.join(' and ')}`
        : `suite '${suite.name}' has no cases`,
      { file: suite.file, hint: used.length ? 'check the filter (split, category, tag)' : undefined },
    );
  }

  const repeats = sel.repeats ?? project.defaults.repeats;
  if (!Number.isInteger(repeats) || repeats < 1)
    throw new ConfigError(`repeats must be a whole number ≥ 1, got ${repeats}`, { field: 'repeats' });

  return { suite, prompts, models, cases, repeats, size: planSize({ prompts, models, cases, repeats }) };
}

export function planSize(plan: Pick<RunPlan, 'prompts' | 'models' | 'cases' | 'repeats'>): number {
  return plan.prompts.length * plan.models.length * plan.cases.length * plan.repeats;
}

/**
 * The work items of one model (or of every model, model-major), case-major within a model: every prompt
 * and repeat of a case comes before the next case, so a partial run still pairs prompts case by case.
 */
export function* planItems(plan: RunPlan, modelId?: string): Generator<WorkItem, void, undefined> {
  const models = modelId === undefined ? plan.models : plan.models.filter((m) => m.id === modelId);
  for (const model of models)
    for (const testCase of plan.cases)
      for (const prompt of plan.prompts)
        for (let repeat = 0; repeat < plan.repeats; repeat++) yield { prompt, model, testCase, repeat };
}

/**
 * The models a run evaluates when none is named: every configured model, except those marked `target:
 * false` and, unless marked `target: true`, those that only the checks call (judge, jury and simulated-user
 * models are there to grade, not to be graded). When every model is such a grader (one model that both
 * answers and judges), they are all evaluated, as before.
 */
export function targetModels(project: Pick<Project, 'models' | 'checkModels'>): ModelConfig[] {
  const graders = new Set(project.checkModels ?? []);
  const eligible = project.models.filter((m) => m.target !== false);
  const targets = eligible.filter((m) => m.target ?? !graders.has(m.id));
  return targets.length > 0 ? targets : eligible;
}
