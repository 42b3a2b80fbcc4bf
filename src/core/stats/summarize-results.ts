import type { ErrorKind, ResultRecord } from '../types.ts';
import { type ClusteredInterval, clusteredMeanInterval } from './clustered.ts';
import { type PassAt1Method, passAt1Interval, type RepeatStats, repeatStats } from './repeat-stats.ts';
import { wilsonInterval } from './wilson.ts';

/** `estimate [lower, upper]` with the method that produced it. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
  /**
   * `wilson`: one result per case. Otherwise several results per case (repeats): the estimate is the mean
   * of per-case pass rates (pass@1) and the interval comes from the variation across cases, one
   * observation per case — never from the n·k results as if independent (see `passAt1Interval`).
   */
  method: 'wilson' | PassAt1Method;
  confidence: number;
  /** Observations behind the interval: results, or cases when repeats were averaged per case. */
  n: number;
}

export interface CategorySummary {
  category: string;
  scored: number;
  passed: number;
  errors: number;
  passRate: Interval | null;
}

/** One prompt version × model of a run. Pass rates exclude errors (errors are not failures). */
export interface GroupSummary {
  prompt: string;
  promptVersion: string;
  modelId: string;
  total: number;
  scored: number;
  passed: number;
  failed: number;
  errors: number;
  cached: number;
  passRate: Interval | null;
  /** Distinct cases with at least one scored result. */
  cases: number;
  /** Milliseconds over non-cached successful calls. */
  latency: { mean: number; p50: number; p95: number } | null;
  tokens: { input: number; output: number };
  /** USD over known prices; `costUnknown` when any call's price was unknown. */
  cost: number;
  costUnknown: boolean;
  categories: CategorySummary[];
  errorKinds: Partial<Record<ErrorKind, number>>;
  /** With repeats (some case scored more than once): pass@k, pass^k, flaky cases, variance split. */
  repeats: RepeatStats | null;
  /**
   * When cases declare a `cluster`: the cluster-robust interval of the pass rate (per-case pass rates,
   * cases without a cluster count as clusters of their own).
   */
  clustered: ClusteredInterval | null;
}

export interface ResultsSummary {
  groups: GroupSummary[];
  total: number;
  errors: number;
  warnings: string[];
}

interface Acc {
  g: Omit<GroupSummary, 'passRate' | 'latency' | 'categories' | 'cases' | 'repeats' | 'clustered'>;
  latencies: number[];
  cats: Map<string, { scored: number; passed: number; errors: number }>;
  /** Per case (with repeats): category, cluster, passes and scored results. */
  perCase: Map<string, { category: string; cluster?: string; passed: number; scored: number }>;
}

export interface SummarizerOptions {
  /** Seed for the bootstraps over cases (repeats); the run's seed, so the report is reproducible. */
  seed?: number;
}

/**
 * Folds a stream of results into per-group summaries. Memory grows with groups and categories, plus
 * one number per result for latency percentiles (8 bytes, fine for 1e6 results).
 */
export class ResultsSummarizer {
  private readonly groups = new Map<string, Acc>();
  private readonly seed: number;

  constructor(opts: SummarizerOptions = {}) {
    this.seed = opts.seed ?? 0;
  }

  add(r: ResultRecord): void {
    const key = `${r.promptVersion}\u0000${r.modelId}`;
    let acc = this.groups.get(key);
    if (!acc) {
      acc = {
        g: {
          prompt: r.prompt,
          promptVersion: r.promptVersion,
          modelId: r.modelId,
          total: 0,
          scored: 0,
          passed: 0,
          failed: 0,
          errors: 0,
          cached: 0,
          tokens: { input: 0, output: 0 },
          cost: 0,
          costUnknown: false,
          errorKinds: {},
        },
        latencies: [],
        cats: new Map(),
        perCase: new Map(),
      };
      this.groups.set(key, acc);
    }
    const g = acc.g;
    g.total++;
    if (r.cached) g.cached++;
    const cat = acc.cats.get(r.category ?? 'uncategorised') ?? { scored: 0, passed: 0, errors: 0 };
    acc.cats.set(r.category ?? 'uncategorised', cat);
    if (r.status === 'error') {
      g.errors++;
      cat.errors++;
      const kind = r.error?.kind ?? 'server';
      g.errorKinds[kind] = (g.errorKinds[kind] ?? 0) + 1;
    } else {
      g.scored++;
      cat.scored++;
      const c = acc.perCase.get(r.caseId) ?? {
        category: r.category ?? 'uncategorised',
        ...(r.cluster !== undefined ? { cluster: r.cluster } : {}),
        passed: 0,
        scored: 0,
      };
      acc.perCase.set(r.caseId, c);
      c.scored++;
      if (r.status === 'pass') {
        g.passed++;
        cat.passed++;
        c.passed++;
      } else g.failed++;
      if (!r.cached && r.latencyMs !== undefined) acc.latencies.push(r.latencyMs);
    }
    g.tokens.input += r.usage.inputTokens ?? 0;
    g.tokens.output += r.usage.outputTokens ?? 0;
    if (r.cost === null) {
      if (r.status !== 'error' && !r.cached) g.costUnknown = true;
    } else g.cost += r.cost;
  }

  summary(): ResultsSummary {
    const groups: GroupSummary[] = [];
    const warnings: string[] = [];
    let total = 0;
    let errors = 0;
    for (const { g, latencies, cats, perCase } of this.groups.values()) {
      total += g.total;
      errors += g.errors;
      const caseIds = [...perCase.keys()];
      const cases = [...perCase.values()];
      const withRepeats = cases.some((c) => c.scored > 1);
      const label = `${g.prompt}@${g.promptVersion} × ${g.modelId}`;
      let repeats: RepeatStats | null = null;
      let passRate: Interval | null;
      if (withRepeats) {
        repeats = repeatStats(
          caseIds.map((caseId, i) => ({ caseId, passes: cases[i]?.passed ?? 0, k: cases[i]?.scored ?? 0 })),
          { seed: this.seed },
        );
        passRate = { ...repeats.passAt1 };
        for (const w of repeats.warnings) warnings.push(`${label}: ${w}`);
      } else passRate = interval(g.passed, g.scored);
      const categories = [...cats.entries()]
        .map(([category, c]) => ({
          category,
          ...c,
          passRate: withRepeats
            ? caseInterval(
                cases.filter((x) => x.category === category),
                this.seed,
              )
            : interval(c.passed, c.scored),
        }))
        .sort((a, b) => a.category.localeCompare(b.category));
      let clustered: ClusteredInterval | null = null;
      if (cases.some((c) => c.cluster !== undefined)) {
        const raw = clusteredMeanInterval(
          cases.map((c) => c.passed / c.scored),
          cases.map((c, i) => (c.cluster !== undefined ? `c:${c.cluster}` : `case:${caseIds[i]}`)),
        );
        // A pass rate lives in [0, 1]; the symmetric t interval can cross a bound with few clusters.
        clustered = { ...raw, lower: Math.max(0, raw.lower), upper: Math.min(1, raw.upper) };
        if (clustered.clusters < 30)
          warnings.push(
            `${label}: only ${clustered.clusters} clusters; cluster-robust intervals are unreliable with fewer than 30 clusters`,
          );
      }
      groups.push({
        ...g,
        passRate,
        cases: cases.length,
        latency: latencyStats(latencies),
        categories,
        repeats,
        clustered,
      });
      if (withRepeats && cases.length > 0 && cases.length < 30)
        warnings.push(`${label}: only ${cases.length} cases; the interval is wide (n < 30 cases)`);
      else if (!withRepeats && g.scored > 0 && g.scored < 30)
        warnings.push(`${label}: only ${g.scored} scored results; the interval is wide (n < 30)`);
      if (g.scored >= 1 && (g.passed === 0 || g.passed === g.scored)) {
        const n = withRepeats ? cases.length : g.scored;
        const bound = (100 * (1 - 0.05 ** (1 / n))).toFixed(1);
        const which = g.passed === 0 ? 'pass' : 'failure';
        warnings.push(
          `${label}: pass rate is ${g.passed === 0 ? '0' : '100'}%; with ${n} cases the true ${which} rate could still be up to ${bound}% (one-sided 95%)`,
        );
      }
    }
    return { groups, total, errors, warnings };
  }
}

export function summarizeResults(
  results: Iterable<ResultRecord>,
  opts: SummarizerOptions = {},
): ResultsSummary {
  const s = new ResultsSummarizer(opts);
  for (const r of results) s.add(r);
  return s.summary();
}

function interval(passed: number, n: number): Interval | null {
  if (n === 0) return null;
  const w = wilsonInterval(passed, n, 0.95);
  return { estimate: w.estimate, lower: w.lower, upper: w.upper, method: 'wilson', confidence: 0.95, n };
}

/** With repeats: pass@1 over the cases of a category, with its interval over cases. */
function caseInterval(cases: { passed: number; scored: number }[], seed: number): Interval | null {
  if (cases.length === 0) return null;
  return passAt1Interval(
    cases.map((c) => c.passed / c.scored),
    { seed },
  );
}

function latencyStats(xs: number[]): GroupSummary['latency'] {
  if (xs.length === 0) return null;
  const sorted = Float64Array.from(xs).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  let sum = 0;
  for (const x of sorted) sum += x;
  return { mean: sum / sorted.length, p50: q(0.5), p95: q(0.95) };
}
