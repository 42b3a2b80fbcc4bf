import type { ErrorKind, ResultRecord } from '../types.ts';
import { bootstrapInterval, quantileSorted } from './bootstrap.ts';
import { type ClusteredInterval, clusteredMeanInterval } from './clustered.ts';
import {
  allEqual,
  type PassAt1Method,
  passAt1Interval,
  type RepeatStats,
  repeatStats,
} from './repeat-stats.ts';
import { tInterval } from './student-t.ts';
import { wilsonFromProportion, wilsonInterval } from './wilson.ts';

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

/**
 * Numeric scores of one group (stats-judges.md §8.1), over cases: one value per case (the mean of its
 * repeats' scores), errors excluded. Student-t interval, or a seeded percentile bootstrap over cases when
 * n < 30 or the mean sits at a bound (0 or 1). Bounds are clipped to [0, 1], the range of a score.
 * When every case has the same mean score (no spread: t and bootstrap would both give [x, x]), a Wilson
 * interval for the mean as a proportion over the n cases instead, so a handful of identical cases never
 * looks exact.
 */
export interface ScoreSummary {
  mean: number;
  /** Sample SD across cases (n − 1 denominator); NaN (null in JSON) when n < 2. */
  sd: number;
  median: number;
  lower: number;
  upper: number;
  /** Cases (one value per case). */
  n: number;
  /**
   * `student-t`; `bootstrap percentile` (with its seed and resamples); `wilson` when every case has the same
   * score. One case gives [0, 1] (no spread).
   */
  method: 'student-t' | 'bootstrap percentile' | 'wilson';
  confidence: number;
  seed?: number;
  resamples?: number;
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
  /**
   * Set when some scored result has a score strictly between 0 and 1 (similarity, weighted checks, or
   * some but not all checks passing): the mean score with its interval over cases.
   */
  score: ScoreSummary | null;
}

export interface ResultsSummary {
  groups: GroupSummary[];
  total: number;
  errors: number;
  warnings: string[];
}

interface Acc {
  g: Omit<GroupSummary, 'passRate' | 'latency' | 'categories' | 'cases' | 'repeats' | 'clustered' | 'score'>;
  latencies: number[];
  cats: Map<string, { scored: number; passed: number; errors: number }>;
  /** Per case (with repeats): category, cluster, passes, scored results and the sum of their scores. */
  perCase: Map<
    string,
    { category: string; cluster?: string; passed: number; scored: number; scoreSum: number }
  >;
  /** Whether some scored result has a score strictly between 0 and 1. */
  fractional: boolean;
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
        fractional: false,
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
        scoreSum: 0,
      };
      acc.perCase.set(r.caseId, c);
      c.scored++;
      const score = r.score ?? (r.status === 'pass' ? 1 : 0);
      c.scoreSum += score;
      if (score > 0 && score < 1) acc.fractional = true;
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
    for (const { g, latencies, cats, perCase, fractional } of this.groups.values()) {
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
        score: fractional
          ? scoreSummary(
              cases.map((c) => c.scoreSum / c.scored),
              this.seed,
            )
          : null,
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

/** Mean score over per-case values with its interval (see ScoreSummary). */
export function scoreSummary(
  values: readonly number[],
  seed: number,
  confidence = 0.95,
): ScoreSummary | null {
  const n = values.length;
  if (n === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const median = quantileSorted(sorted, 0.5);
  const t = tInterval(values, confidence);
  const clip = (x: number) => Math.min(1, Math.max(0, x));
  const base = { mean: t.estimate, sd: t.sd, median, n, confidence };
  // One case: no spread to estimate; a bootstrap would claim a zero-width interval.
  if (n < 2) return { ...base, lower: 0, upper: 1, method: 'student-t' };
  if (allEqual(values)) {
    const w = wilsonFromProportion(clip(t.estimate), n, confidence);
    return { ...base, lower: w.lower, upper: w.upper, method: 'wilson' };
  }
  if (n < 30 || t.estimate <= 0 || t.estimate >= 1) {
    const b = bootstrapInterval(values, { seed, confidence });
    return {
      ...base,
      lower: clip(b.lower),
      upper: clip(b.upper),
      method: 'bootstrap percentile',
      seed: b.seed,
      resamples: b.resamples,
    };
  }
  return { ...base, lower: clip(t.lower), upper: clip(t.upper), method: 'student-t' };
}

function latencyStats(xs: number[]): GroupSummary['latency'] {
  if (xs.length === 0) return null;
  const sorted = Float64Array.from(xs).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  let sum = 0;
  for (const x of sorted) sum += x;
  return { mean: sum / sorted.length, p50: q(0.5), p95: q(0.95) };
}
