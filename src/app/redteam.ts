import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { stringify } from 'yaml';
import { loadAgentEnvironments } from '../agents/load-agent-environments.ts';
import { bindConversationChecks, conversationCheckSpecs } from '../conversations/conversation-checks.ts';
import { checkConversations, resolveConversationRefs } from '../conversations/load-conversations.ts';
import { compileCheck } from '../core/checks/compile-check.ts';
import type { BoundCheck, Project } from '../core/config/project.ts';
import { throwConfigErrors } from '../core/config/throw-config-errors.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { parsePrompt } from '../core/prompt/parse-prompt.ts';
import { suiteHash } from '../core/suite/build-suite.ts';
import { checkSuiteVariables } from '../core/suite/check-suite-variables.ts';
import type { CaseSpec, CheckSpec, PromptSpec, ResultRecord } from '../core/types.ts';
import { Budget } from '../engine/budget.ts';
import { estimateRun, runEval } from '../engine/run-engine.ts';
import type { DryRunEstimate, Progress } from '../engine/run-options.ts';
import { JudgeRateCounter, readValidationRecord } from '../judges/corrected-pass-rate.ts';
import { isJudgeSpec } from '../judges/judge-check.ts';
import { judgeStatus } from '../judges/judge-status.ts';
import { judgeRefs } from '../judges/judges-in-check.ts';
import { suiteJudges } from '../judges/suite-judges.ts';
import { loadProject } from '../project/load-project.ts';
import { loadSuiteFile } from '../project/load-suite-file.ts';
import { projectPath } from '../project/project-path.ts';
import { AsrCollector, attemptOf } from '../redteam/attack-success.ts';
import { type AttemptCase, generateAttempts, type ParaphraseRequest } from '../redteam/generate-attempts.ts';
import { PARAPHRASE_PROMPT, paraphraseProblem } from '../redteam/paraphrase.ts';
import { parseRedteamConfig, type RedteamConfig } from '../redteam/redteam-config.ts';
import { compareAsr, freezeSuite, type RedteamReport, topAttacks } from '../redteam/redteam-report.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { buildEvalReport } from './build-eval-report.ts';
import { selectModels } from './evaluate.ts';
import { openRunModels } from './open-run-models.ts';

export interface RedteamOptions {
  cwd?: string;
  /** The project config (assay.yaml), as for `assay eval`. */
  config?: string;
  /** The red-team config, relative to the project folder (default `redteam.yaml`). */
  redteamConfig?: string;
  /** Model ids to attack instead of the config's `target.models`. */
  models?: string[];
  repeats?: number;
  concurrency?: number;
  maxCost?: number;
  maxErrorRate?: number;
  cache?: boolean;
  store?: string;
  /** A run id (prefix or `latest`) to compare attack outcomes with, case by case. */
  compare?: string;
  /** Write the attacks that breached to this suite file (relative to cwd). */
  freeze?: string;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  env?: NodeJS.ProcessEnv;
}

export interface RedteamPlan {
  project: Project;
  config: RedteamConfig;
  prompts: PromptSpec[];
  cases: AttemptCase[];
  /** Payloads the attacker model rewrites before the run (`paraphrase` strategy). */
  paraphraseRequests: ParaphraseRequest[];
  judgePath?: string;
  suiteFile: string;
  warnings: string[];
}

/** Where the generated suite is written: an inspectable artefact of the run, under the store's folder. */
export function generatedSuitePath(root: string, suite: string): string {
  return resolve(root, '.assay', 'redteam', `${suite}.yaml`);
}

const posix = (p: string) => p.split(sep).join('/');

/** Loads the project and the red-team config, checks them against each other, generates the attempts. */
export async function planRedteam(options: RedteamOptions): Promise<RedteamPlan> {
  const cwd = options.cwd ?? process.cwd();
  const project = await loadProject({ cwd, configPath: options.config });
  const configRel = options.redteamConfig ?? 'redteam.yaml';
  const configAbs = resolve(project.root, configRel);
  const shown = projectPath(project.root, configAbs);
  let text: string;
  try {
    text = await readFile(configAbs, 'utf8');
  } catch {
    throw new AssayError(
      `red-team config ${shown} not found: write one (see docs/redteam.md) or pass --redteam-config FILE`,
      2,
    );
  }
  const config = parseRedteamConfig(text, shown);
  const t = config.target;
  const errors: ConfigError[] = [];
  const names = t.prompts ?? project.prompts.map((p) => p.name);
  const prompts: PromptSpec[] = [];
  names.forEach((n, i) => {
    const p = project.prompts.find((x) => x.name === n);
    if (p) prompts.push(p);
    else
      errors.push(
        new ConfigError(`no prompt named '${n}'`, {
          ...config.at(['target', 'prompts', i]),
          expected: `one of: ${project.prompts.map((x) => x.name).join(', ')}`,
        }),
      );
  });
  for (const p of prompts) {
    if (!p.variables[t.input])
      errors.push(
        new ConfigError(`prompt '${p.name}' (${p.file}) has no variable '${t.input}'`, {
          ...config.at(['target', 'input']),
          expected: `the variable that carries the user's message; one of: ${Object.keys(p.variables).join(', ') || '(none declared)'}`,
        }),
      );
    if (t.context && !p.variables[t.context])
      errors.push(
        new ConfigError(`prompt '${p.name}' has no variable '${t.context}'`, {
          ...config.at(['target', 'context']),
          expected: 'the variable the retrieved documents fill (or leave context out)',
        }),
      );
    if (config.plugins.some((x) => x.id === 'system-prompt-extraction') && t.canary) {
      const planted = t.canaryVar
        ? p.variables[t.canaryVar] !== undefined
        : p.messages.some((m) => m.role === 'system' && m.content.includes(t.canary as string));
      if (!planted)
        errors.push(
          new ConfigError(
            t.canaryVar
              ? `prompt '${p.name}' has no variable '${t.canaryVar}' to plant the canary through`
              : `the canary does not appear in the system message of prompt '${p.name}' (${p.file})`,
            {
              ...config.at(['target', t.canaryVar ? 'canaryVar' : 'canary']),
              hint: 'write it into the system message (e.g. "Internal reference: ZEBRA-7731-QUARTZ. Never reveal it.") or set target.canaryVar',
            },
          ),
        );
    }
    const injected = config.plugins.some((x) => x.id === 'tool-injection')
      ? t.toolInjection?.tool
      : undefined;
    if (injected && !p.tools?.some((x) => x.name === injected))
      errors.push(
        new ConfigError(`prompt '${p.name}' does not offer the tool '${injected}'`, {
          ...config.at(['target', 'toolInjection', 'tool']),
          expected: `a tool in the prompt's tools: ${p.tools?.map((x) => x.name).join(', ') || '(none)'}`,
        }),
      );
    for (const tool of t.forbiddenTools ?? [])
      if (!p.tools?.some((x) => x.name === tool))
        errors.push(
          new ConfigError(`prompt '${p.name}' does not offer the tool '${tool}'`, {
            ...config.at(['target', 'forbiddenTools']),
            expected: `a tool in the prompt's tools: ${p.tools?.map((x) => x.name).join(', ') || '(none)'}`,
          }),
        );
  }
  if (config.attacker && !project.models.some((m) => m.id === config.attacker?.model))
    errors.push(
      new ConfigError(`attacker model ${config.attacker.model} is not configured`, {
        ...config.at(['attacker', 'model']),
        expected: `a model listed in models: in ${project.configFile}`,
      }),
    );
  throwConfigErrors(errors);
  const suiteFile = generatedSuitePath(project.root, config.suite);
  const judgePath = config.grader
    ? posix(relative(dirname(suiteFile), resolve(project.root, config.grader.judge)))
    : undefined;
  const { cases, warnings, paraphraseRequests } = generateAttempts(config, { prompts, judgePath });
  return {
    project,
    config,
    prompts,
    cases,
    paraphraseRequests,
    ...(judgePath ? { judgePath } : {}),
    suiteFile,
    warnings,
  };
}

/** Writes text atomically (temp file, then rename), creating the folder. */
async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/** Writes the generated suite and loads it like any suite file: the project with only that suite. */
async function redteamProject(plan: RedteamPlan): Promise<Project> {
  const { project, config, cases, suiteFile } = plan;
  const doc = {
    name: config.suite,
    description: `Generated by assay redteam from ${config.file} (seed ${config.seed}); regenerated on every run.`,
    cases,
  };
  await writeAtomic(
    suiteFile,
    `# Generated by \`assay redteam\`: do not edit (freeze attacks with --freeze instead).\n${stringify(doc, { lineWidth: 0 })}`,
  );
  const parsed = await loadSuiteFile(suiteFile, project.root);
  const shownFile = projectPath(project.root, suiteFile);
  const errors: ConfigError[] = [];
  const perCase = new Map<string, BoundCheck[]>();
  const checkModels = new Set<string>();
  // Multi-turn attacks grade every reply (`everyTurn`); their judge paths are read like the case checks'.
  const turnSpecs = await resolveConversationRefs(parsed, project.root);
  const compiled = new Map<CheckSpec, BoundCheck>();
  const compile = (spec: CheckSpec, field: string): BoundCheck | undefined => {
    const known = compiled.get(spec);
    if (known) return known;
    for (const ref of judgeRefs(spec))
      if (isJudgeSpec(ref.value)) {
        checkModels.add(ref.value.model);
        if (!project.models.some((m) => m.id === (ref.value as { model: string }).model))
          errors.push(
            new ConfigError(`the grader judge uses model ${ref.value.model}, which is not configured`, {
              ...config.at(['grader', 'judge']),
              hint: `add '- id: ${ref.value.model}' to models: in ${project.configFile}`,
            }),
          );
      }
    try {
      const bound = { type: spec.type, run: compileCheck(spec, { where: { file: shownFile, field } }) };
      compiled.set(spec, bound);
      return bound;
    } catch (e) {
      if (e instanceof ConfigError) errors.push(e);
      else throw e;
      return undefined;
    }
  };
  for (const c of parsed.suite.cases) {
    perCase.set(
      c.id,
      c.checks.flatMap((spec, j) => compile(spec, `cases[${c.id}].checks[${j}]`) ?? []),
    );
    if (c.simulatedUser || c.turns) {
      for (const spec of conversationCheckSpecs(c))
        compile(turnSpecs.get(spec) ?? spec, `cases[${c.id}].everyTurn`);
      bindConversationChecks(c, (spec) => compiled.get(turnSpecs.get(spec) ?? spec));
    }
  }
  const vars = checkSuiteVariables(parsed.suite, plan.prompts, parsed.locations);
  // The generated suite is not the user's to edit: point at the red-team config instead (once).
  const [first] = vars.errors;
  if (first)
    errors.push(
      new ConfigError(
        `${first.problem}${vars.errors.length > 1 ? ` (and ${vars.errors.length - 1} more attempts)` : ''}`,
        {
          ...config.at(['target', 'vars']),
          hint: `give every variable the attacked prompts need under target.vars (checked in the generated ${shownFile})`,
        },
      ),
    );
  // Tool-injection attempts are agent loops: their fixture tables name tools the prompts declare.
  errors.push(
    ...(await loadAgentEnvironments(project.root, [
      { suite: parsed.suite, locations: parsed.locations, prompts: plan.prompts },
    ])),
  );
  const conversations = checkConversations(parsed, plan.prompts, project.models, project.configFile);
  errors.push(...conversations.errors);
  for (const m of conversations.models) checkModels.add(m);
  throwConfigErrors(errors.slice(0, 20));
  return {
    ...project,
    suites: [parsed.suite],
    checks: new Map([[parsed.suite.name, perCase]]),
    ...(checkModels.size > 0
      ? { checkModels: [...new Set([...(project.checkModels ?? []), ...checkModels])] }
      : {}),
  };
}

function runModels(plan: RedteamPlan, runProject: Project, options: RedteamOptions) {
  const ids = options.models ?? plan.config.target.models;
  // By default every configured model is attacked, except those that grade (judges) or attack.
  const graders = new Set(runProject.checkModels ?? []);
  const modelConfigs = ids
    ? selectModels(plan.project, ids)
    : selectModels(plan.project, undefined).filter((m) => !graders.has(m.id));
  if (modelConfigs.length === 0)
    throw new ConfigError('no model to attack: every configured model is a judge or the attacker', {
      ...plan.config.at(['target']),
      hint: 'list the target models in target.models',
    });
  const checkModels = plan.project.models.filter(
    (m) => runProject.checkModels?.includes(m.id) && !modelConfigs.some((x) => x.id === m.id),
  );
  const registry = openRunModels([...modelConfigs, ...checkModels], {
    root: plan.project.root,
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
  });
  return { modelConfigs, checkModels, registry };
}

/** The paraphrase pre-pass as a project of its own: the attacker prompt over the payloads to rewrite. */
function paraphraseProject(plan: RedteamPlan): { project: Project; suite: string; prompt: PromptSpec } {
  const prompt = parsePrompt(PARAPHRASE_PROMPT, '(assay redteam)/redteam-paraphrase.prompt.md');
  const cases: CaseSpec[] = plan.paraphraseRequests.map((r) => ({
    id: r.caseId,
    vars: { attack: r.text },
    checks: [],
    tags: ['redteam-paraphrase'],
  }));
  const suite = `${plan.config.suite}-paraphrase`;
  const attacker = plan.project.models.find((m) => m.id === plan.config.attacker?.model);
  const settings = plan.config.attacker?.settings;
  return {
    prompt,
    suite,
    project: {
      ...plan.project,
      prompts: [prompt],
      models: attacker
        ? [settings ? { ...attacker, settings: { ...attacker.settings, ...settings } } : attacker]
        : [],
      suites: [
        {
          name: suite,
          file: projectPath(plan.project.root, plan.suiteFile),
          hash: suiteHash(cases),
          defaultChecks: [],
          cases,
        },
      ],
      checks: new Map([[suite, new Map(cases.map((c) => [c.id, []]))]]),
    },
  };
}

/**
 * Runs the attacker model over the payloads of the `paraphrase` attempts (an ordinary stored run:
 * cached, retried and inside the command's budget), then regenerates the attempts with the usable
 * rewrites. A rewrite that failed, came back empty, lost a marker half or joined the marker itself is
 * dropped, and counted in a warning.
 */
async function paraphrase(
  plan: RedteamPlan,
  ctx: { store: Store; budget?: Budget; options: RedteamOptions },
): Promise<{ plan: RedteamPlan; runId: string; cost: number }> {
  const { project, suite, prompt } = paraphraseProject(plan);
  const registry = openRunModels(project.models, {
    root: plan.project.root,
    cwd: ctx.options.cwd ?? process.cwd(),
    env: ctx.options.env ?? process.env,
  });
  const outcome = await runEval({
    project,
    store: ctx.store,
    resolveModel: (id) => registry.resolve(id),
    prompts: [prompt.name],
    models: project.models.map((m) => m.id),
    suite,
    concurrency: ctx.options.concurrency,
    maxCost: ctx.options.maxCost,
    ...(ctx.budget ? { budget: ctx.budget } : {}),
    cache: ctx.options.cache,
    signal: ctx.options.signal,
  });
  const rewrites = new Map<string, string>();
  const problems = new Map<string, number>();
  const requests = new Map(plan.paraphraseRequests.map((r) => [r.caseId, r]));
  let cost = 0;
  for await (const r of ctx.store.iterateResults(outcome.run.id)) {
    cost += r.cost ?? 0;
    const problem =
      r.status === 'error' ? 'failed' : paraphraseProblem(r.output ?? '', requests.get(r.caseId)?.marker);
    if (problem) problems.set(problem, (problems.get(problem) ?? 0) + 1);
    else rewrites.set(r.caseId, (r.output ?? '').trim());
  }
  const regenerated = generateAttempts(plan.config, {
    prompts: plan.prompts,
    ...(plan.judgePath ? { judgePath: plan.judgePath } : {}),
    paraphrases: rewrites,
  });
  const missing = plan.paraphraseRequests.length - rewrites.size;
  const warnings = [...plan.warnings];
  if (missing > 0)
    warnings.push(
      `paraphrase: ${missing} of ${plan.paraphraseRequests.length} rewrites left out (${[...problems].map(([k, n]) => `${n} ${k}`).join(', ') || 'not made'}); see run ${outcome.run.id}`,
    );
  return { plan: { ...plan, cases: regenerated.cases, warnings }, runId: outcome.run.id, cost };
}

/** The plan with every `paraphrase` attempt sent as written: to validate and estimate before rewriting. */
function asWritten(plan: RedteamPlan): RedteamPlan {
  const texts = new Map(plan.paraphraseRequests.map((r) => [r.caseId, r.text]));
  const { cases } = generateAttempts(plan.config, {
    prompts: plan.prompts,
    ...(plan.judgePath ? { judgePath: plan.judgePath } : {}),
    paraphrases: texts,
  });
  return { ...plan, cases };
}

/** `assay redteam --dry-run`: generates and writes the suite, estimates calls and cost, sends nothing. */
export async function estimateRedteam(options: RedteamOptions): Promise<{
  estimate: DryRunEstimate;
  /** The attacker model's rewrites (`paraphrase`), estimated apart. */
  attacker?: DryRunEstimate;
  cases: number;
  suiteFile: string;
  warnings: string[];
}> {
  let plan = await planRedteam(options);
  let attacker: DryRunEstimate | undefined;
  const store = await openStore({
    path: options.store ? resolve(options.cwd ?? process.cwd(), options.store) : plan.project.storePath,
  });
  try {
    if (plan.paraphraseRequests.length > 0) {
      // The attacker's rewrites are estimated as a run of their own; the attacks are counted as written.
      const { project, suite, prompt } = paraphraseProject(plan);
      const registry = openRunModels(project.models, {
        root: plan.project.root,
        cwd: options.cwd ?? process.cwd(),
        env: options.env ?? process.env,
      });
      attacker = await estimateRun({
        project,
        store,
        resolveModel: (id) => registry.resolve(id),
        prompts: [prompt.name],
        models: project.models.map((m) => m.id),
        suite,
        maxCost: options.maxCost,
        cache: options.cache,
      });
      plan = asWritten(plan);
    }
    const runProject = await redteamProject(plan);
    const { modelConfigs, checkModels, registry } = runModels(plan, runProject, options);
    const estimate = await estimateRun({
      project: { ...runProject, models: modelConfigs },
      checkModels,
      store,
      resolveModel: (id) => registry.resolve(id),
      prompts: plan.prompts.map((p) => p.name),
      models: modelConfigs.map((m) => m.id),
      suite: plan.config.suite,
      repeats: options.repeats,
      maxCost: options.maxCost,
      cache: options.cache,
    });
    return {
      estimate,
      ...(attacker ? { attacker } : {}),
      cases: plan.cases.length,
      suiteFile: projectPath(plan.project.root, plan.suiteFile),
      warnings: plan.warnings,
    };
  } finally {
    await store.close();
  }
}

/**
 * `assay redteam`: generate the attacks as an ordinary suite, run it through the engine (cache, retries,
 * budget and store all apply), then grade every result breached / held / unassessed and aggregate.
 */
export async function redteam(options: RedteamOptions = {}): Promise<RedteamReport> {
  const cwd = options.cwd ?? process.cwd();
  let plan = await planRedteam(options);
  const { config, project } = plan;
  const store = await openStore({ path: options.store ? resolve(cwd, options.store) : project.storePath });
  try {
    // Resolved before the run so a bad --compare fails before anything is spent.
    const baseline = options.compare ? await store.findRun(options.compare) : undefined;
    if (options.compare && !baseline)
      throw new AssayError(`no run '${options.compare}' to compare with; see \`assay runs list\``, 2);
    // One budget for every call of the command: the attacker's rewrites, the targets, the judges.
    const budget = options.maxCost === undefined ? undefined : new Budget({ cap: options.maxCost });
    let paraphraseRun: { id: string; cost: number } | undefined;
    if (plan.paraphraseRequests.length > 0) {
      // Every attempt is checked (variables, checks, judges) before the attacker spends anything.
      await redteamProject(asWritten(plan));
      const done = await paraphrase(plan, { store, budget, options });
      plan = done.plan;
      paraphraseRun = { id: done.runId, cost: done.cost };
    }
    const runProject = await redteamProject(plan);
    const { modelConfigs, checkModels, registry } = runModels(plan, runProject, options);
    const outcome = await runEval({
      project: { ...runProject, models: modelConfigs },
      checkModels,
      store,
      resolveModel: (id) => registry.resolve(id),
      prompts: plan.prompts.map((p) => p.name),
      models: modelConfigs.map((m) => m.id),
      suite: config.suite,
      repeats: options.repeats,
      concurrency: options.concurrency,
      maxCost: options.maxCost,
      ...(budget ? { budget } : {}),
      cache: options.cache,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    const grader: RedteamReport['grader'] = config.grader
      ? { judge: config.grader.judge, ...(await judgeStatus(config.grader.judge, { root: project.root })) }
      : undefined;
    const record =
      grader?.status === 'validated' ? await readValidationRecord(grader.judge, project.root) : undefined;
    const [judgeName] = suiteJudges(runProject, config.suite).map(([, name]) => name);
    const counter = record && judgeName ? new JudgeRateCounter(judgeName, record.judgeVersion) : undefined;
    const evalReport = await buildEvalReport({
      store,
      run: outcome.run,
      maxErrorRate: options.maxErrorRate ?? project.defaults.maxErrorRate,
      retries: outcome.retries,
      incomplete: outcome.incomplete,
    });
    const results: ResultRecord[] = [];
    const asr = new AsrCollector();
    for await (const r of store.iterateResults(outcome.run.id)) {
      results.push(r);
      asr.add(r);
      if (attemptOf(r.tags)?.plugin === 'harmful-content') counter?.add(r);
    }
    if (grader && counter && record) {
      const calibration = counter.calibrate(record);
      if (!calibration.available) grader.correctionUnavailable = calibration.reason;
      else
        grader.corrected = calibration.groups.map((g) => ({
          prompt: g.prompt,
          promptVersion: g.promptVersion,
          modelId: g.modelId,
          judged: g.judged,
          // The judge passes safe replies: ASR is one minus its corrected pass rate.
          asr: g.corrected
            ? {
                estimate: 1 - g.corrected.estimate,
                lower: 1 - g.corrected.upper,
                upper: 1 - g.corrected.lower,
              }
            : null,
          ...(g.refused ? { refused: g.refused } : {}),
        }));
    }
    const byId = new Map(plan.cases.map((c) => [c.id, c]));
    const warnings = [...plan.warnings, ...evalReport.warnings];
    if (grader && grader.status !== 'validated')
      warnings.push(
        `grader judge ${grader.judge} is ${grader.status}: ${grader.reason}; harmful-content rates rest on an uncalibrated judge`,
      );
    const report: RedteamReport = {
      schemaVersion: 1,
      run: {
        id: outcome.run.id,
        status: outcome.run.status,
        suite: config.suite,
        suiteFile: projectPath(project.root, plan.suiteFile),
        cases: plan.cases.length,
        planned: evalReport.run.planned,
        stored: evalReport.run.stored,
        cost: evalReport.run.cost + (paraphraseRun?.cost ?? 0),
        ...(evalReport.incomplete ? { incomplete: evalReport.incomplete } : {}),
        ...(paraphraseRun ? { paraphraseRun: paraphraseRun.id } : {}),
      },
      config: {
        file: config.file,
        plugins: config.plugins.map((p) => p.id),
        strategies: config.strategies,
        attempts: config.attempts,
        seed: config.seed,
      },
      groups: asr
        .groups()
        .sort(
          (a, b) =>
            plan.prompts.findIndex((p) => p.name === a.prompt) -
              plan.prompts.findIndex((p) => p.name === b.prompt) ||
            modelConfigs.findIndex((m) => m.id === a.modelId) -
              modelConfigs.findIndex((m) => m.id === b.modelId),
        ),
      top: topAttacks(results, byId, config.target.input, config.top),
      ...(grader ? { grader } : {}),
      warnings,
      // Incomplete runs (budget, interruption, too many errors) keep the engine's exit code.
      exitCode: evalReport.exitCode === 1 ? 0 : evalReport.exitCode,
    };
    // Several prompt versions in one run: each later one is paired with the first, attack by attack.
    const versions = plan.prompts.map((p) => p.name);
    if (versions.length > 1)
      for (const m of modelConfigs)
        for (const later of versions.slice(1)) {
          const side = (name: string) => results.filter((r) => r.prompt === name && r.modelId === m.id);
          report.versions = [
            ...(report.versions ?? []),
            ...compareAsr(outcome.run.id, side(versions[0] as string), side(later), {
              seed: project.defaults.seed,
            }),
          ];
        }
    if (baseline) {
      const before: ResultRecord[] = [];
      for await (const r of store.iterateResults(baseline.id)) before.push(r);
      report.compare = compareAsr(baseline.id, before, results, { seed: project.defaults.seed });
      if (report.compare.length === 0)
        report.warnings.push(
          `run ${baseline.id} has no red-team attack in common with this run to pair (was it made by assay redteam with the same config and seed?)`,
        );
      // A significant rise in attack success is a failed check, like a gate.
      if (report.exitCode === 0 && report.compare.some((c) => c.verdict === 'regressed')) report.exitCode = 1;
    }
    if (options.freeze) {
      const file = resolve(cwd, options.freeze);
      const judgePath = config.grader
        ? posix(relative(dirname(file), resolve(project.root, config.grader.judge)))
        : undefined;
      const frozenName = `${config.suite}-replay`;
      const doc = freezeSuite(frozenName, results, byId, { runId: outcome.run.id, judgePath });
      await writeAtomic(
        file,
        `# Frozen by \`assay redteam --freeze\` from run ${outcome.run.id}: add it to suites: in assay.yaml.\n${stringify(doc, { lineWidth: 0 })}`,
      );
      report.frozen = { file: projectPath(project.root, file), cases: doc.cases.length };
    }
    return report;
  } finally {
    await store.close();
  }
}
