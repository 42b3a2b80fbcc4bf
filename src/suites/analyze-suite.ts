import { plan } from '../app/plan.ts';
import { AssayError } from '../core/errors.ts';
import { type SuiteStats, suiteStats } from '../core/suite/suite-stats.ts';
import { readSuiteFile, resolveSuiteFile } from './resolve-suite-file.ts';

export interface AnalyzeSuiteOptions {
  /** A suite file, or the name of a suite of the project in `cwd`. */
  suite: string;
  cwd?: string;
  config?: string;
  /** Near-duplicate threshold (Jaccard of word bigrams), default 0.8. */
  similarity?: number;
  /** Pass rate the MDE is computed at; default 0.5, where the MDE is largest. */
  baselineRate?: number;
  alpha?: number;
  power?: number;
}

export interface SuiteMde {
  /** Cases the MDE is for: the whole suite, or one split. */
  scope: 'all' | 'dev' | 'test';
  n: number;
  /** Smallest paired difference in pass rate detectable at α, power (same number as `assay plan`). */
  mde: number;
  /** The `assay plan` command that gives the same number. */
  plan: string;
}

export interface SuiteStatsReport extends SuiteStats {
  schemaVersion: 1;
  suite: string;
  file: string;
  mde: {
    baselineRate: number;
    alpha: number;
    power: number;
    paired: true;
    correlation: number;
    rows: SuiteMde[];
    notes: string[];
  };
}

/**
 * `assay suite stats`: what a suite covers (see suiteStats) and the smallest difference between two
 * prompt versions it can detect, for the whole suite and for each split, computed by `plan()` itself
 * (paired, ρ = 0.5 as `assay plan --paired` assumes), so the numbers match `assay plan` exactly.
 */
export async function analyzeSuite(o: AnalyzeSuiteOptions): Promise<SuiteStatsReport> {
  const cwd = o.cwd ?? process.cwd();
  if (o.similarity !== undefined && !(o.similarity > 0 && o.similarity <= 1))
    throw new AssayError(`--similarity must be in (0, 1] (got ${o.similarity})`, 2);
  const ref = await resolveSuiteFile(o.suite, { cwd, config: o.config });
  const { parsed } = await readSuiteFile(ref);
  const cases = parsed.suite.cases;
  const stats = suiteStats(cases, { similarity: o.similarity });
  // The advice names the suite as the user named it.
  for (const w of stats.warnings) w.message = w.message.replaceAll('SUITE', shellWord(o.suite));
  const baselineRate = o.baselineRate ?? 0.5;
  const alpha = o.alpha ?? 0.05;
  const power = o.power ?? 0.8;
  const rows: SuiteMde[] = [];
  const scopes: [SuiteMde['scope'], number][] = [['all', cases.length]];
  if (stats.bySplit.dev > 0 && stats.bySplit.test > 0)
    scopes.push(['dev', stats.bySplit.dev], ['test', stats.bySplit.test]);
  for (const [scope, n] of scopes) {
    if (n === 0) continue;
    const p = await plan({ n, baselineRate, paired: true, alpha, power });
    const flags = [
      `--n ${n}`,
      `--baseline-rate ${baselineRate}`,
      '--paired',
      ...(o.alpha !== undefined ? [`--alpha ${alpha}`] : []),
      ...(o.power !== undefined ? [`--power ${power}`] : []),
    ];
    rows.push({ scope, n, mde: p.mde as number, plan: `assay plan ${flags.join(' ')}` });
  }
  const notes: string[] = [];
  if (stats.clusters.count > 0)
    notes.push(
      `${stats.clusters.casesInClusters} cases sit in ${stats.clusters.count} cluster${stats.clusters.count === 1 ? '' : 's'}: related cases carry less information, so the real MDE is larger (see assay plan --cluster-size --cluster-icc)`,
    );
  if (o.baselineRate === undefined)
    notes.push('at a baseline pass rate of 50%, where the MDE is largest; set --baseline-rate for yours');
  return {
    schemaVersion: 1,
    suite: parsed.suite.name,
    file: ref.shown,
    ...stats,
    mde: { baselineRate, alpha, power, paired: true, correlation: 0.5, rows, notes },
  };
}

/** The argument as it can be pasted back into a shell. */
function shellWord(s: string): string {
  return /^[\w./@:-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
