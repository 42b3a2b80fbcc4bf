import { type ComparisonFamily, compareFamily } from '../core/compare/compare-family.ts';
import type { CompareOptions, Comparison } from '../core/compare/comparison.ts';
import { type GroupSelection, pairGroups } from '../core/compare/pair-groups.ts';
import type { Project } from '../core/config/project.ts';
import { AssayError } from '../core/errors.ts';
import type { ResultRecord, RunRecord } from '../core/types.ts';
import { storedJudgeVerdicts } from '../judges/corrected-pass-rate.ts';
import { type JudgeStatus, judgeStatus } from '../judges/judge-status.ts';
import { suiteJudges } from '../judges/suite-judges.ts';
import { loadProject } from '../project/load-project.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { locateStore } from './locate-store.ts';
import { projectRoot, resolveRunRef } from './resolve-run-ref.ts';

export interface CompareRunsOptions extends Omit<CompareOptions, 'suiteHash'>, GroupSelection {
  /** Project folder (default: the process's cwd): where the store and the suite's protected cases are found. */
  cwd?: string;
  /** Config file, as `-c`. */
  config?: string;
  /** An open store (left open), or the path of a SQLite store file (as `--store`). */
  store?: string | Store;
  /** Run id, unique prefix, `latest`, `latest~N`, or `NAME@LABEL` / `NAME@VERSION` (its newest completed run). */
  baseline: string;
}

export type RunComparison = Comparison & { baselineRun: RunRecord; candidateRun: RunRecord };

/** An LLM judge the compared runs' checks used, with its validation status in this project. */
export interface ComparedJudge {
  name: string;
  /** The judge file in this project, when one of its suites uses a judge of that name. */
  file?: string;
  /** `unknown`: no judge of that name in this project (or no project here). */
  status: JudgeStatus | 'unknown';
  reason: string;
  /** The judge versions each run's stored results carry (details.judgeVersion), baseline first. */
  runs: { runId: string; versions: string[] }[];
  /** Whether some candidate used other judge versions than the baseline. */
  changed: boolean;
}

export interface RunComparisonFamily extends Omit<ComparisonFamily, 'comparisons'> {
  baselineRun: RunRecord;
  comparisons: RunComparison[];
  /** The judges used by the compared runs' checks (empty when no check was a judge). */
  judges: ComparedJudge[];
}

/**
 * `assay compare BASE CAND`: both runs read from the store and compared (see `compareResults`).
 * `protectedCaseIds`, when not given, come from the project's suite of the same name as the runs'
 * (a missing or broken project just means no case is protected). Exactly one prompt × model pair must
 * result, else AssayError exit 2 asking for --prompt / --model.
 */
export async function compareRuns(opts: CompareRunsOptions & { candidate: string }): Promise<RunComparison> {
  const family = await compareRunFamily({ ...opts, candidates: [opts.candidate] });
  if (family.comparisons.length !== 1)
    throw new AssayError(
      `the runs hold ${family.comparisons.length} prompt × model pairs to compare; choose one with --prompt and/or --model`,
      2,
    );
  const [only] = family.comparisons as [RunComparison];
  return { ...only, warnings: [...only.warnings, ...family.warnings] };
}

/**
 * `assay compare BASE CAND1 CAND2 …`: every candidate group (see `pairGroups`) against its baseline group,
 * Holm-adjusted when there are several, sorted by effect. Unknown runs and runs with no case in common
 * are usage errors (AssayError, exit 2).
 */
export async function compareRunFamily(
  opts: CompareRunsOptions & { candidates: string[] },
): Promise<RunComparisonFamily> {
  if (opts.candidates.length === 0) throw new AssayError('name at least one candidate run to compare', 2);
  const cwd = opts.cwd ?? process.cwd();
  const own =
    typeof opts.store === 'object'
      ? undefined
      : await openStore({ path: await locateStore({ cwd, config: opts.config, store: opts.store }) });
  const store = typeof opts.store === 'object' ? opts.store : (own as Store);
  try {
    const root = await projectRoot(cwd, opts.config);
    const baselineRun = await resolveRunRef(store, opts.baseline, root);
    const used = new Map<string, JudgeVersions>();
    const baseline = await readResults(store, baselineRun.id, judgeVersionsOf(used, baselineRun.id));
    const candidateRuns: RunRecord[] = [];
    const pairs: { candidateRun: RunRecord; baseline: ResultRecord[]; candidate: ResultRecord[] }[] = [];
    for (const id of opts.candidates) {
      const candidateRun = await resolveRunRef(store, id, root);
      candidateRuns.push(candidateRun);
      const results = await readResults(store, candidateRun.id, judgeVersionsOf(used, candidateRun.id));
      for (const p of pairGroups(baseline, results, opts, {
        baseline: baselineRun.id,
        candidate: candidateRun.id,
      }))
        pairs.push({ candidateRun, ...p });
    }
    const project = await loadProjectQuietly(cwd, opts.config);
    const protectedCaseIds =
      opts.protectedCaseIds ?? protectedCases(project, [baselineRun, ...candidateRuns]);
    const shared: CompareOptions = {
      metric: opts.metric,
      seed: opts.seed,
      margin: opts.margin,
      alpha: opts.alpha,
      resamples: opts.resamples,
      protectedCaseIds,
    };
    const family = compareFamily(
      pairs.map((p) => ({
        baseline: p.baseline,
        candidate: p.candidate,
        options: {
          suiteHash: {
            baseline: baselineRun.manifest.suite.hash,
            candidate: p.candidateRun.manifest.suite.hash,
          },
          // each side's pass@1 interval uses its run's seed, as `assay eval` does
          sideSeeds: { baseline: baselineRun.manifest.seed, candidate: p.candidateRun.manifest.seed },
        },
      })),
      shared,
    );
    const byId = new Map(candidateRuns.map((r) => [r.id, r]));
    const judges = await comparedJudges(used, baselineRun, candidateRuns, project);
    const comparisons = family.comparisons.map((c) => ({
      ...c,
      warnings: [...c.warnings, ...judgeChangeWarnings(used, baselineRun.id, c.candidate.runId)],
      baselineRun,
      candidateRun: byId.get(c.candidate.runId) as RunRecord,
    }));
    const empty = comparisons.find((c) => c.pairing.paired === 0);
    if (empty)
      throw new AssayError(
        `runs ${baselineRun.id} and ${empty.candidateRun.id} have no scored case in common (${empty.pairing.onlyInBaseline.length} only in the baseline, ${empty.pairing.onlyInCandidate.length} only in the candidate, ${empty.pairing.errored.length} errored): nothing to compare`,
        2,
      );
    return { ...family, baselineRun, comparisons, judges };
  } finally {
    await own?.close();
  }
}

/** judge name → run id → the judge versions that run's stored check results carry. */
type JudgeVersions = Map<string, Set<string>>;

function judgeVersionsOf(used: Map<string, JudgeVersions>, runId: string) {
  return (r: ResultRecord): void => {
    for (const { judge: name, judgeVersion: version } of r.checks.flatMap(storedJudgeVerdicts)) {
      const runs = used.get(name) ?? new Map<string, Set<string>>();
      used.set(name, runs);
      const versions = runs.get(runId) ?? new Set<string>();
      runs.set(runId, versions);
      versions.add(version);
    }
  };
}

async function readResults(
  store: Store,
  runId: string,
  onResult?: (r: ResultRecord) => void,
): Promise<ResultRecord[]> {
  const out: ResultRecord[] = [];
  for await (const r of store.iterateResults(runId)) {
    onResult?.(r);
    // The comparison needs statuses and scores, not the outputs: keep memory to a few numbers per result.
    out.push({ ...r, output: undefined, toolCalls: undefined, checks: [] });
  }
  return out;
}

const sameSet = (a: Set<string> | undefined, b: Set<string> | undefined): boolean =>
  (a?.size ?? 0) === (b?.size ?? 0) && [...(a ?? [])].every((v) => b?.has(v));

/** Judges whose versions differ between the baseline and this candidate (a judge used by one side only counts). */
function judgeChangeWarnings(
  used: Map<string, JudgeVersions>,
  baseline: string,
  candidate: string,
): string[] {
  const out: string[] = [];
  for (const [name, runs] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const a = runs.get(baseline);
    const b = runs.get(candidate);
    if (sameSet(a, b)) continue;
    const list = (s: Set<string> | undefined) => (s?.size ? [...s].sort().join(', ') : 'not used');
    out.push(
      `judge ${name} changed between the runs (version ${list(a)} in A, ${list(b)} in B): differences may come from the judge`,
    );
  }
  return out;
}

/**
 * Each judge the runs used, with its status in this project: the file comes from the project's suites
 * (those of the runs first); without a project, or a judge of that name, the status is `unknown`.
 */
async function comparedJudges(
  used: Map<string, JudgeVersions>,
  baselineRun: RunRecord,
  candidateRuns: RunRecord[],
  project: Project | undefined,
): Promise<ComparedJudge[]> {
  const runIds = [baselineRun.id, ...candidateRuns.map((r) => r.id)].filter(
    (id, i, a) => a.indexOf(id) === i,
  );
  const suiteNames = new Set([baselineRun, ...candidateRuns].map((r) => r.manifest.suite.name));
  const files = new Map<string, string>();
  if (project) {
    // Suites the runs used win over other suites using a judge of the same name.
    const order = [...project.suites].sort(
      (a, b) => Number(suiteNames.has(b.name)) - Number(suiteNames.has(a.name)),
    );
    for (const s of order)
      for (const [file, name] of suiteJudges(project, s.name)) if (!files.has(name)) files.set(name, file);
  }
  const out: ComparedJudge[] = [];
  for (const [name, byRun] of [...used].sort(([a], [b]) => a.localeCompare(b))) {
    const runs = runIds.map((runId) => ({ runId, versions: [...(byRun.get(runId) ?? [])].sort() }));
    const base = byRun.get(baselineRun.id);
    const changed = runIds.slice(1).some((id) => !sameSet(base, byRun.get(id)));
    const file = files.get(name);
    if (!project || file === undefined) {
      out.push({ name, status: 'unknown', reason: 'not in this project', runs, changed });
      continue;
    }
    const status = await judgeStatus(file, { root: project.root });
    const current = project.suites
      .flatMap((s) => s.cases.flatMap((c) => c.checks.map((k) => k.judge)))
      .find((j): j is { file: string; version: string } => isJudgeAt(j, file))?.version;
    // The status is of the judge file as it is now: say so when a run used another version.
    const others = [...new Set(runs.flatMap((r) => r.versions))].filter((v) => v !== current).sort();
    const note =
      current !== undefined && others.length > 0
        ? `; that is the status of its current version ${current}, not of ${others.join(', ')} used by the runs`
        : '';
    out.push({ name, file, status: status.status, reason: `${status.reason}${note}`, runs, changed });
  }
  return out;
}

function isJudgeAt(j: unknown, file: string): boolean {
  return (
    typeof j === 'object' &&
    j !== null &&
    (j as { file?: unknown }).file === file &&
    typeof (j as { version?: unknown }).version === 'string'
  );
}

/** The project here, or undefined: compare also works on a store outside any project (or a broken one). */
async function loadProjectQuietly(cwd: string, config: string | undefined): Promise<Project | undefined> {
  try {
    return await loadProject({ cwd, configPath: config });
  } catch {
    // No project here (a store passed with --store), or one being edited.
    return undefined;
  }
}

/** Protected case ids of the project's suites the runs used; none without a project. */
function protectedCases(project: Project | undefined, runs: RunRecord[]): Set<string> {
  const ids = new Set<string>();
  if (!project) return ids;
  const names = new Set(runs.map((r) => r.manifest.suite.name));
  for (const suite of project.suites)
    if (names.has(suite.name)) for (const c of suite.cases) if (c.protected) ids.add(c.id);
  return ids;
}
