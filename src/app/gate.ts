import { appendFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Comparison, compareResults } from '../core/compare/compare-runs.ts';
import { AssayError } from '../core/errors.ts';
import type { ResultRecord, RunRecord } from '../core/types.ts';
import { judgeStatus } from '../judges/judge-status.ts';
import { suiteJudges } from '../judges/suite-judges.ts';
import { loadProject } from '../project/load-project.ts';
import { gitPromptSource } from '../registry/git-prompt-source.ts';
import { formatP } from '../reporters/render-comparison.ts';
import { renderGateJunit, renderGateMarkdown } from '../reporters/render-gate.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { baselineFromGit, projectCopy } from './baseline-from-git.ts';
import { type EvaluateOptions, evaluate } from './evaluate.ts';
import {
  newestRunOf,
  type PromptVersionRef,
  parsePromptRef,
  resolvePromptVersion,
  resolveRunRef,
} from './resolve-run-ref.ts';

export interface GateOptions {
  /** Project folder (default: process.cwd()). */
  cwd?: string;
  config?: string;
  /** Run store file instead of the configured one. */
  store?: string;
  /**
   * A run id, unique prefix, `latest`, `git:REF` (the prompts at REF, evaluated now on the current suite),
   * or `NAME@LABEL` / `NAME@VERSION` (its newest completed run, else that version evaluated now from the
   * source the store recorded).
   */
  baseline: string;
  /** A run id, unique prefix or `latest`; default: evaluate the project now. */
  candidate?: string;
  metric?: 'pass' | 'score';
  /** Fail (exit 1) when more than this many cases regress (pass → fail). Default: no limit. */
  maxRegressions?: number;
  /** Exit 3 when the candidate's share of errored results exceeds this. Default 0. */
  maxErrorRate?: number;
  /** Significance level of the comparison (default 0.05). */
  alpha?: number;
  /** Seed of every resampling step (default 0). */
  seed?: number;
  /** Equivalence margin passed to the comparison (difference in pass rate or mean score). */
  margin?: number;
  /** Write a JUnit XML report here (relative to cwd). */
  junit?: string;
  /** Write the Markdown summary here (relative to cwd). */
  markdown?: string;
  /** Only these models / this suite / these prompts when evaluating. */
  models?: string[];
  baseUrl?: string;
  suite?: string;
  prompts?: string[];
  repeats?: number;
  /** Record or replay model exchanges (folders relative to cwd), for every evaluation the gate makes. */
  record?: string;
  replay?: string;
  cache?: boolean;
  maxCost?: number;
  concurrency?: number;
  signal?: AbortSignal;
  /** Gate even when a judge check of the gated suites is not `validated` (a warning instead of exit 2). */
  allowUnvalidated?: boolean;
  /** Environment: API keys for evaluations and GITHUB_STEP_SUMMARY (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** One check of the gate; a JUnit testcase. A failed check sets the exit code it names. */
export interface GateCheck {
  name: string;
  /** What it was applied to: `suite · prompt · model`, or the suite for run-wide checks. */
  scope: string;
  ok: boolean;
  /** The exit code this check forces when it fails: 1 quality, 3 incomplete. */
  failExitCode: 1 | 3;
  message: string;
}

export interface GateComparison {
  suite: string;
  prompt: string;
  modelId: string;
  baselineRun: string;
  candidateRun: string;
  comparison: Comparison;
}

export interface GateResult {
  schemaVersion: 1;
  verdict: 'pass' | 'fail' | 'incomplete';
  /** 0 pass · 1 quality gate failed · 3 incomplete (errors over the limit, nothing scored) · 130/143 interrupted. */
  exitCode: number;
  /** Why it failed, one line per failed check (empty when it passed). */
  reasons: string[];
  checks: GateCheck[];
  comparisons: GateComparison[];
  baseline: {
    spec: string;
    git?: { ref: string; commit: string; prompts: string[] };
    /** For `NAME@LABEL` / `NAME@VERSION` evaluated now: the prompt version it resolved to. */
    prompt?: { name: string; version: string; label?: string };
    runs: string[];
  };
  candidate: { spec: string; runs: string[] };
  settings: {
    metric: 'pass' | 'score';
    maxRegressions: number | null;
    maxErrorRate: number;
    alpha: number;
    seed: number;
  };
  warnings: string[];
  /** Files written: JUnit, Markdown, and the GitHub step summary appended to. */
  files: { junit?: string; markdown?: string; stepSummary?: string };
}

interface RunPair {
  suite: string;
  baseline: RunRecord;
  candidate: RunRecord;
}

/**
 * The CI regression gate: compares a candidate with a baseline (a stored run or the prompts at a git
 * ref, evaluated now), suite by suite and prompt × model by prompt × model, and turns the comparisons
 * into a verdict and an exit code. See docs/ci.md and docs/statistics.md ("The gate").
 */
export async function gate(options: GateOptions): Promise<GateResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const metric = options.metric ?? 'pass';
  const maxErrorRate = options.maxErrorRate ?? 0;
  const alpha = options.alpha ?? 0.05;
  const seed = options.seed ?? 0;
  const warnings: string[] = [];
  const isGit = options.baseline.startsWith('git:');
  // "Protected" is read from the current suites; a gate that cannot tell which cases are protected
  // would silently leave them unchecked, so it stops here (exit 2).
  const project = await loadProject({ cwd, configPath: options.config }).catch((e: unknown) => {
    throw new AssayError(
      `cannot tell which cases are protected: the project does not load (${(e as Error).message})`,
      2,
    );
  });
  const protectedIds = new Map<string, Set<string>>();
  for (const s of project.suites)
    protectedIds.set(s.name, new Set(s.cases.filter((c) => c.protected).map((c) => c.id)));
  // Drafted cases nobody has reviewed yet (`assay generate`) may be wrong: they report, they never gate.
  const unreviewedIds = new Map<string, Set<string>>();
  for (const s of project.suites)
    unreviewedIds.set(s.name, new Set(s.cases.filter((c) => c.review === 'unreviewed').map((c) => c.id)));
  const storePath = options.store ? resolve(cwd, options.store) : project.storePath;
  const evalBase: EvaluateOptions = {
    cwd,
    config: options.config,
    store: storePath,
    models: options.models,
    baseUrl: options.baseUrl,
    prompts: options.prompts,
    repeats: options.repeats,
    record: options.record ? resolve(cwd, options.record) : undefined,
    replay: options.replay ? resolve(cwd, options.replay) : undefined,
    cache: options.cache,
    maxCost: options.maxCost,
    concurrency: options.concurrency,
    signal: options.signal,
    env,
    maxErrorRate: 1, // the gate applies its own error-rate rule
  };

  // 1. The stored runs named on the command line.
  // NAME@LABEL / NAME@VERSION: its newest completed run, else the version evaluated now (labelled).
  let labelled: { ref: PromptVersionRef; file: string; source: string } | undefined;
  const stored = await withStore(storePath, async (store) => {
    const find = async (spec: string, what: string) => {
      if (parsePromptRef(spec)) return resolveRunRef(store, spec, project.root);
      const run = await store.findRun(spec);
      if (!run) throw new AssayError(`no ${what} run '${spec}' in the store; see \`assay runs list\``, 2);
      return run;
    };
    let baseline: RunRecord | undefined;
    const promptRef = isGit ? undefined : parsePromptRef(options.baseline);
    if (promptRef) {
      const ref = await resolvePromptVersion(store, promptRef, project.root);
      baseline = await newestRunOf(store, ref);
      if (!baseline) labelled = { ref, ...(await versionSource(store, ref, project)) };
    } else if (!isGit) baseline = await find(options.baseline, 'baseline');
    return {
      baseline,
      candidate: options.candidate === undefined ? undefined : await find(options.candidate, 'candidate'),
    };
  });

  // A judge may report but may not gate until it has been validated against human annotations.
  const gatedSuite =
    stored.candidate?.manifest.suite.name ?? stored.baseline?.manifest.suite.name ?? options.suite;
  for (const [file, name] of suiteJudges(project, gatedSuite)) {
    const { status, reason } = await judgeStatus(file, { root: project.root });
    if (status === 'validated') continue;
    const message = `judge '${name}' (${file}) is ${status}: ${reason}`;
    if (options.allowUnvalidated) {
      warnings.push(`${message}; gating with it anyway (--allow-unvalidated)`);
      continue;
    }
    throw new AssayError(
      `${message}. A judge that is not validated may report but may not gate: annotate outputs (\`assay annotate RUN\`), then run \`assay judge validate ${file} --annotations <file>\` and commit ${file}.validation.json; or pass --allow-unvalidated`,
      2,
    );
  }

  // 2. Evaluate what is not stored: the candidate (the project now), the baseline at a git ref.
  let interrupted: number | undefined;
  const evalRuns = async (opts: EvaluateOptions): Promise<RunRecord[]> => {
    const out = await evaluate(opts);
    if (out.exitCode === 130 || out.exitCode === 143) interrupted = out.exitCode;
    // An over-budget or interrupted run fails its 'run status' check (exit 3); see below.
    for (const s of out.notStarted) warnings.push(`suite ${s} was not evaluated`);
    return withStore(storePath, async (store) => {
      const runs: RunRecord[] = [];
      for (const r of out.reports) {
        const run = await store.getRun(r.run.id);
        if (run) runs.push(run);
      }
      return runs;
    });
  };
  const fromRun = (run: RunRecord): Partial<EvaluateOptions> => ({
    suite: run.manifest.suite.name,
    models: run.manifest.models.map((m) => m.id),
    repeats: run.manifest.repeats,
  });

  let candidates: RunRecord[];
  if (stored.candidate) candidates = [stored.candidate];
  else
    candidates = await evalRuns({
      ...evalBase,
      ...(stored.baseline
        ? { ...fromRun(stored.baseline), prompts: stored.baseline.manifest.prompts.map((p) => p.name) }
        : { suite: options.suite }),
      ...(labelled && !options.prompts ? { prompts: [labelled.ref.name] } : {}),
    });

  let baselines: RunRecord[];
  let gitInfo: GateResult['baseline']['git'];
  let labelInfo: GateResult['baseline']['prompt'];
  if (stored.baseline) baselines = [stored.baseline];
  else if (labelled) {
    // The labelled version's recorded source in a copy of the project, on the candidate's suite and models.
    const { ref, file, source } = labelled;
    labelInfo = { name: ref.name, version: ref.version, ...(ref.label ? { label: ref.label } : {}) };
    const configAbs = resolve(project.root, project.configFile);
    const current = project.prompts.filter((p) => p.name === ref.name).map((p) => p.file);
    const copy = await projectCopy({
      root: project.root,
      configAbs,
      remove: current,
      files: [{ path: current.length === 1 ? (current[0] as string) : file, text: source }],
    });
    try {
      baselines = [];
      for (const c of candidates) {
        if (interrupted) break;
        baselines.push(
          ...(await evalRuns({
            ...evalBase,
            cwd: copy.dir,
            config: copy.config,
            ...fromRun(c),
            prompts: [ref.name],
          })),
        );
      }
    } finally {
      await copy.cleanup();
    }
  } else {
    const ref = options.baseline.slice('git:'.length);
    const materialised = await baselineFromGit({ cwd, config: options.config, ref });
    gitInfo = { ref, commit: materialised.commit, prompts: materialised.prompts };
    try {
      baselines = [];
      for (const c of candidates) {
        if (interrupted) break;
        // The same suite, models and repeats as the candidate; every prompt of the commit (pairing is by name).
        baselines.push(
          ...(await evalRuns({
            ...evalBase,
            cwd: materialised.dir,
            config: materialised.config,
            prompts: undefined,
            ...fromRun(c),
          })),
        );
      }
    } finally {
      await materialised.cleanup();
    }
  }

  const pairs: RunPair[] = [];
  for (const c of candidates) {
    const suite = c.manifest.suite.name;
    const b = baselines.find((x) => x.manifest.suite.name === suite);
    if (b) pairs.push({ suite, baseline: b, candidate: c });
    else warnings.push(`suite ${suite}: no baseline run to compare with`);
  }
  if (
    stored.baseline &&
    stored.candidate &&
    stored.baseline.manifest.suite.name !== stored.candidate.manifest.suite.name
  )
    warnings.push(
      `the runs are of different suites (${stored.baseline.manifest.suite.name} and ${stored.candidate.manifest.suite.name}): cases are paired by id`,
    );
  if (stored.baseline && stored.candidate && pairs.length === 0)
    pairs.push({
      suite: stored.candidate.manifest.suite.name,
      baseline: stored.baseline,
      candidate: stored.candidate,
    });

  // 3. Compare and check.
  for (const pair of pairs)
    if (!protectedIds.has(pair.suite))
      throw new AssayError(
        `suite ${pair.suite} is not in the project, so the gate cannot tell which of its cases are protected; gate runs of a current suite`,
        2,
      );
  const checks: GateCheck[] = [];
  const comparisons: GateComparison[] = [];
  await withStore(storePath, async (store) => {
    for (const pair of pairs) {
      const drafts = unreviewedIds.get(pair.suite) ?? new Set<string>();
      const reviewed = (r: ResultRecord) => !drafts.has(r.caseId);
      const base = (await collect(store.iterateResults(pair.baseline.id))).filter(reviewed);
      const cand = (await collect(store.iterateResults(pair.candidate.id))).filter(reviewed);
      if (drafts.size > 0)
        warnings.push(
          `${pair.suite}: ${drafts.size} unreviewed drafted case(s) are left out of the gate; review them with \`assay suite review\``,
        );
      const prot = protectedIds.get(pair.suite) ?? new Set<string>();
      // A run that did not complete is not a complete comparison (over budget, interrupted, still running).
      for (const [side, run] of [
        ['baseline', pair.baseline],
        ['candidate', pair.candidate],
      ] as const)
        checks.push({
          name: `${side} run status`,
          scope: pair.suite,
          ok: run.status === 'completed',
          failExitCode: 3,
          message:
            run.status === 'completed'
              ? `${pair.suite}: ${side} run ${run.id} is completed`
              : `${pair.suite}: ${side} run ${run.id} is ${run.status}, not completed`,
        });
      const groups = groupPairs(base, cand, pair.suite, warnings);
      if (groups.length === 0)
        checks.push({
          name: 'scored',
          scope: pair.suite,
          ok: false,
          failExitCode: 3,
          message: `suite ${pair.suite}: the runs share no prompt × model to compare`,
        });
      for (const g of groups) {
        const scope = `${pair.suite} · ${g.prompt} · ${g.modelId}`;
        const comparison = compareResults(g.baseline, g.candidate, {
          metric,
          seed,
          margin: options.margin,
          protectedCaseIds: prot,
          alpha,
          suiteHash: {
            baseline: pair.baseline.manifest.suite.hash,
            candidate: pair.candidate.manifest.suite.hash,
          },
        });
        comparisons.push({
          suite: pair.suite,
          prompt: g.prompt,
          modelId: g.modelId,
          baselineRun: pair.baseline.id,
          candidateRun: pair.candidate.id,
          comparison,
        });
        checks.push(...groupChecks(scope, g, comparison, prot, options.maxRegressions));
      }
      // Both sides: an errored baseline result (e.g. a stale --replay recording) hides a case as surely
      // as an errored candidate result.
      for (const [side, rs] of [
        ['baseline', base],
        ['candidate', cand],
      ] as const) {
        const errors = rs.filter((r) => r.status === 'error').length;
        const share = rs.length ? errors / rs.length : 0;
        checks.push({
          name: side === 'candidate' ? 'error rate' : 'baseline error rate',
          scope: pair.suite,
          ok: share <= maxErrorRate,
          failExitCode: 3,
          message:
            share <= maxErrorRate
              ? `${pair.suite}: ${errors}/${rs.length} ${side} results errored (limit ${pctText(maxErrorRate)})`
              : `${pair.suite}: ${errors}/${rs.length} ${side} results errored (${pctText(share)}), over the limit of ${pctText(maxErrorRate)}: an error can hide a regression; fix the errors or raise --max-error-rate`,
        });
      }
    }
  });
  if (pairs.length === 0)
    checks.push({
      name: 'scored',
      scope: '(all suites)',
      ok: false,
      failExitCode: 3,
      message: 'nothing to compare: no suite has both a baseline and a candidate run',
    });

  // A quality failure on the scored cases is real whatever else went wrong: exit 1 first, then 3.
  const failed = checks.filter((c) => !c.ok).sort((a, b) => a.failExitCode - b.failExitCode);
  const exitCode =
    interrupted ??
    (failed.some((c) => c.failExitCode === 1) ? 1 : failed.some((c) => c.failExitCode === 3) ? 3 : 0);
  const result: GateResult = {
    schemaVersion: 1,
    verdict: exitCode === 0 ? 'pass' : exitCode === 1 ? 'fail' : 'incomplete',
    exitCode,
    reasons: failed.map((c) => c.message),
    checks,
    comparisons,
    baseline: {
      spec: options.baseline,
      ...(gitInfo ? { git: gitInfo } : {}),
      ...(labelInfo ? { prompt: labelInfo } : {}),
      runs: pairs.map((p) => p.baseline.id),
    },
    candidate: { spec: options.candidate ?? '(evaluated now)', runs: pairs.map((p) => p.candidate.id) },
    settings: { metric, maxRegressions: options.maxRegressions ?? null, maxErrorRate, alpha, seed },
    warnings,
    files: {},
  };

  // 4. Reports for CI.
  if (options.junit) {
    result.files.junit = resolve(cwd, options.junit);
    await writeFile(result.files.junit, renderGateJunit(result));
  }
  const summaryFile = env.GITHUB_STEP_SUMMARY;
  if (options.markdown || summaryFile) {
    const md = renderGateMarkdown(result);
    if (options.markdown) {
      result.files.markdown = resolve(cwd, options.markdown);
      await writeFile(result.files.markdown, md);
    }
    if (summaryFile) {
      result.files.stepSummary = summaryFile;
      await appendFile(summaryFile, `${md}\n`);
    }
  }
  return result;
}

interface Group {
  prompt: string;
  modelId: string;
  baseline: ResultRecord[];
  candidate: ResultRecord[];
}

/** Splits two runs into prompt × model groups present in both (pairing is by prompt name, not version). */
function groupPairs(base: ResultRecord[], cand: ResultRecord[], suite: string, warnings: string[]): Group[] {
  const key = (r: ResultRecord) => `${r.prompt}\u0000${r.modelId}`;
  const by = (rs: ResultRecord[]) => {
    const m = new Map<string, ResultRecord[]>();
    for (const r of rs) {
      const list = m.get(key(r));
      if (list) list.push(r);
      else m.set(key(r), [r]);
    }
    return m;
  };
  const a = by(base);
  const b = by(cand);
  const groups: Group[] = [];
  for (const [k, rs] of b) {
    const [prompt = '', modelId = ''] = k.split('\u0000');
    const other = a.get(k);
    if (other) groups.push({ prompt, modelId, baseline: other, candidate: rs });
    else
      warnings.push(`suite ${suite}: prompt ${prompt} on ${modelId} is new (not in the baseline); not gated`);
  }
  for (const k of a.keys())
    if (!b.has(k)) {
      const [prompt, modelId] = k.split('\u0000');
      warnings.push(`suite ${suite}: prompt ${prompt} on ${modelId} is only in the baseline; not gated`);
    }
  return groups.sort((x, y) => x.prompt.localeCompare(y.prompt) || x.modelId.localeCompare(y.modelId));
}

/** Pass share of a case's scored results, or 'error' when any of its results errored, or undefined when absent. */
function caseOutcome(rs: ResultRecord[], caseId: string): number | 'error' | undefined {
  const mine = rs.filter((r) => r.caseId === caseId);
  if (mine.length === 0) return undefined;
  if (mine.some((r) => r.status === 'error')) return 'error';
  return mine.filter((r) => r.status === 'pass').length / mine.length;
}

function groupChecks(
  scope: string,
  g: Group,
  comparison: Comparison,
  prot: Set<string>,
  maxRegressions: number | undefined,
): GateCheck[] {
  const checks: GateCheck[] = [];
  if (comparison.pairing.paired === 0) {
    checks.push({
      name: 'scored',
      scope,
      ok: false,
      failExitCode: 3,
      message: `${scope}: no case was scored in both runs; nothing to compare`,
    });
    return checks;
  }
  const worse = comparison.verdict === 'worse';
  checks.push({
    name: 'significance',
    scope,
    ok: !worse,
    failExitCode: 1,
    message: `${scope}: ${describeDifference(comparison)}`,
  });
  const regressions = comparison.flips.filter(isRegression);
  const over = maxRegressions !== undefined && regressions.length > maxRegressions;
  const listed = regressions
    .slice(0, 10)
    .map((f) => f.caseId)
    .join(', ');
  checks.push({
    name: 'regressions',
    scope,
    ok: !over,
    failExitCode: 1,
    message: `${scope}: ${regressions.length} case(s) regressed${listed ? ` (${listed}${regressions.length > 10 ? ', …' : ''})` : ''}${maxRegressions === undefined ? '' : over ? `, more than --max-regressions ${maxRegressions}` : ` (limit ${maxRegressions})`}`,
  });
  const ids = new Set([...g.baseline, ...g.candidate].map((r) => r.caseId).filter((id) => prot.has(id)));
  for (const id of [...ids].sort()) {
    const before = caseOutcome(g.baseline, id);
    const after = caseOutcome(g.candidate, id);
    let problem: string | undefined;
    // 1: a quality failure (scored in the baseline, then errored, missing or worse in the candidate);
    // 3: no scored comparison because a side errored (the case was not checked at all).
    let failExitCode: 1 | 3 = 1;
    if (after === undefined) problem = 'is missing from the candidate';
    else if (after === 'error' && typeof before === 'number') problem = 'errored in the candidate';
    else if (after === 'error' || before === 'error') {
      failExitCode = 3;
      problem =
        after === 'error' && before === 'error'
          ? 'errored in the baseline and in the candidate, so it could not be compared'
          : after === 'error'
            ? 'errored in the candidate and is not in the baseline, so it could not be compared'
            : 'errored in the baseline, so it could not be compared';
    } else if (typeof before === 'number' && after < before)
      problem = `regressed (${passText(before)} → ${passText(after)})`;
    checks.push({
      name: `protected case ${id}`,
      scope,
      ok: problem === undefined,
      failExitCode,
      message: problem
        ? `${scope}: protected case ${id} ${problem}`
        : `${scope}: protected case ${id} did not regress (${typeof before === 'number' ? `${passText(before)} → ` : 'not in the baseline; '}${typeof after === 'number' ? passText(after) : ''})`,
    });
  }
  return checks;
}

function isRegression(f: Comparison['flips'][number]): boolean {
  return f.kind === 'regression';
}

/** `worse: −20.0 pts [−34.6, −6.9] Newcombe paired, exact McNemar p = 0.002 (30 paired)`. */
function describeDifference(c: Comparison): string {
  const unit = c.metric === 'pass' ? 100 : 1;
  const f = (x: number) => {
    const v = x * unit;
    const t = c.metric === 'pass' ? v.toFixed(1) : v.toFixed(3);
    return v > 0 ? `+${t}` : t.replace('-', '−');
  };
  const pts = c.metric === 'pass' ? ' pts' : '';
  return `${c.verdict}: ${f(c.difference.estimate)}${pts} [${f(c.difference.lower)}, ${f(c.difference.upper)}] ${c.difference.method}, ${c.test} p ${c.p < 0.001 ? '' : '= '}${formatP(c.p)} (${c.pairing.paired} paired)`;
}

function passText(share: number): string {
  return share === 1 ? 'pass' : share === 0 ? 'fail' : `${pctText(share)} pass`;
}

function pctText(x: number): string {
  return `${(100 * x).toFixed(1).replace(/\.0$/, '')}%`;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function withStore<T>(path: string, f: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore({ path });
  try {
    return await f(store);
  } finally {
    await store.close();
  }
}

/**
 * The source (the file's text as evaluated) of a prompt version: from the store's prompt versions, else —
 * on a fresh CI runner with an empty store — from the git history of the prompt's file.
 */
async function versionSource(
  store: Store,
  ref: PromptVersionRef,
  project: { root: string; prompts: { name: string; file: string }[] },
): Promise<{ file: string; source: string }> {
  const record = await store.getPromptVersion(ref.name, ref.version);
  if (record) return { file: record.file, source: record.source };
  for (const p of project.prompts.filter((x) => x.name === ref.name)) {
    const found = await gitPromptSource(project.root, p.file, ref.version);
    if (found) return { file: p.file, source: found.source };
  }
  throw new AssayError(
    `--baseline ${ref.name}@${ref.label ?? ref.version}: the source of version ${ref.version} is neither in the store nor in the git history of the prompt's file; use --baseline git:REF`,
    2,
  );
}
