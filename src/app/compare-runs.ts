import { type ComparisonFamily, compareFamily } from '../core/compare/compare-family.ts';
import type { CompareOptions, Comparison } from '../core/compare/comparison.ts';
import { type GroupSelection, pairGroups } from '../core/compare/pair-groups.ts';
import { AssayError } from '../core/errors.ts';
import type { ResultRecord, RunRecord } from '../core/types.ts';
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

export interface RunComparisonFamily extends Omit<ComparisonFamily, 'comparisons'> {
  baselineRun: RunRecord;
  comparisons: RunComparison[];
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
    const baseline = await readResults(store, baselineRun.id);
    const candidateRuns: RunRecord[] = [];
    const pairs: { candidateRun: RunRecord; baseline: ResultRecord[]; candidate: ResultRecord[] }[] = [];
    for (const id of opts.candidates) {
      const candidateRun = await resolveRunRef(store, id, root);
      candidateRuns.push(candidateRun);
      const results = await readResults(store, candidateRun.id);
      for (const p of pairGroups(baseline, results, opts, {
        baseline: baselineRun.id,
        candidate: candidateRun.id,
      }))
        pairs.push({ candidateRun, ...p });
    }
    const protectedCaseIds =
      opts.protectedCaseIds ?? (await protectedCases(cwd, opts.config, [baselineRun, ...candidateRuns]));
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
    const comparisons = family.comparisons.map((c) => ({
      ...c,
      baselineRun,
      candidateRun: byId.get(c.candidate.runId) as RunRecord,
    }));
    const empty = comparisons.find((c) => c.pairing.paired === 0);
    if (empty)
      throw new AssayError(
        `runs ${baselineRun.id} and ${empty.candidateRun.id} have no scored case in common (${empty.pairing.onlyInBaseline.length} only in the baseline, ${empty.pairing.onlyInCandidate.length} only in the candidate, ${empty.pairing.errored.length} errored): nothing to compare`,
        2,
      );
    return { ...family, baselineRun, comparisons };
  } finally {
    await own?.close();
  }
}

async function readResults(store: Store, runId: string): Promise<ResultRecord[]> {
  const out: ResultRecord[] = [];
  for await (const r of store.iterateResults(runId)) {
    // The comparison needs statuses and scores, not the outputs: keep memory to a few numbers per result.
    out.push({ ...r, output: undefined, toolCalls: undefined, checks: [] });
  }
  return out;
}

/** Protected case ids of the project's suites the runs used; none when the project does not load. */
async function protectedCases(
  cwd: string,
  config: string | undefined,
  runs: RunRecord[],
): Promise<Set<string>> {
  const ids = new Set<string>();
  try {
    const project = await loadProject({ cwd, configPath: config });
    const names = new Set(runs.map((r) => r.manifest.suite.name));
    for (const suite of project.suites)
      if (names.has(suite.name)) for (const c of suite.cases) if (c.protected) ids.add(c.id);
  } catch {
    // No project here (a store passed with --store), or one being edited: compare without protected flags.
  }
  return ids;
}
