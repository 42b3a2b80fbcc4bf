import { AssayError } from '../errors.ts';
import { pairedBootstrapInterval } from '../stats/bootstrap.ts';
import { clusteredMeanInterval } from '../stats/clustered.ts';
import { mcnemarExact } from '../stats/mcnemar.ts';
import { newcombePairedDifference } from '../stats/newcombe.ts';
import { signFlipTest } from '../stats/permutation.ts';
import { mdeMean, mdeProportion } from '../stats/power.ts';
import { passAt1Interval } from '../stats/repeat-stats.ts';
import { signTest } from '../stats/sign-test.ts';
import { tInterval } from '../stats/student-t.ts';
import { wilsonFromProportion } from '../stats/wilson.ts';
import type { ResultRecord } from '../types.ts';
import type {
  CompareOptions,
  Comparison,
  ComparisonSide,
  Difference,
  ErroredCase,
  Flip,
  ScoreStats,
} from './comparison.ts';
import { decideVerdict } from './decide-verdict.ts';

export type {
  CompareMetric,
  CompareOptions,
  Comparison,
  ComparisonSide,
  Difference,
  ErroredCase,
  Flip,
  ScoreStats,
  Verdict,
} from './comparison.ts';

const POWER = 0.8;

interface CaseAcc {
  cluster?: string;
  scored: number;
  passes: number;
  scoreSum: number;
  errors: number;
}

interface Side {
  group: Omit<ComparisonSide, 'passRate' | 'meanScore'>;
  cases: Map<string, CaseAcc>;
}

interface Pair {
  caseId: string;
  cluster?: string;
  /** Per-case pass rates (mean over repeats). */
  passA: number;
  passB: number;
  /** Per-case values of the metric (pass rate, or mean score). */
  a: number;
  b: number;
}

/**
 * Pairs two groups of results (one prompt version × model each; see `pairGroups` for whole runs) by case
 * id, averaging repeats per case, and compares them. Pure: no I/O, deterministic for a given seed.
 *
 * - Cases present on one side only, and cases whose every result errored on one side, are dropped from the
 *   pairing and listed (errors are not failures).
 * - Pass metric, one result (or unanimous repeats) per case: the paired 2×2 table, the difference
 *   p_B − p_A with Newcombe's paired interval (method 10) and the exact McNemar p.
 * - Score metric (result `score`, else pass → 1, fail → 0), or pass rates that are fractional because
 *   repeats disagree: mean of per-case differences with a seeded paired bootstrap percentile interval,
 *   the sign-flip permutation p (exact up to 20 non-zero differences), W/T/L with the exact sign test.
 * - Flips are always on pass status: regressions (pass rate went down) first, then improvements.
 * - The verdict: see `decideVerdict`; the MDE at this n from the observed discordance or SD of
 *   differences (α two-sided, power 0.8).
 *
 * Throws AssayError (exit 2) when a side holds several prompt versions or models.
 */
export function compareResults(
  baseline: Iterable<ResultRecord>,
  candidate: Iterable<ResultRecord>,
  opts: CompareOptions = {},
): Comparison {
  const metric = opts.metric ?? 'pass';
  const seed = opts.seed ?? 0;
  const alpha = opts.alpha ?? 0.05;
  const confidence = 1 - alpha;
  const resamples = opts.resamples ?? 10_000;
  const protectedIds = opts.protectedCaseIds ?? new Set<string>();
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (opts.margin !== undefined && !(opts.margin >= 0))
    throw new RangeError(`margin must be ≥ 0, got ${opts.margin}`);

  const A = collect(baseline, 'baseline');
  const B = collect(candidate, 'candidate');

  const onlyInBaseline: string[] = [];
  const onlyInCandidate: string[] = [];
  const errored: ErroredCase[] = [];
  const pairs: Pair[] = [];
  let partiallyErrored = 0;
  for (const [caseId, a] of A.cases) {
    const b = B.cases.get(caseId);
    if (!b) {
      onlyInBaseline.push(caseId);
      continue;
    }
    const isProtected = protectedIds.has(caseId);
    if (a.scored === 0 || b.scored === 0) {
      const side = a.scored === 0 && b.scored === 0 ? 'both' : a.scored === 0 ? 'baseline' : 'candidate';
      errored.push({ caseId, side, protected: isProtected });
      continue;
    }
    if (a.errors > 0 || b.errors > 0) partiallyErrored++;
    const passA = a.passes / a.scored;
    const passB = b.passes / b.scored;
    pairs.push({
      caseId,
      cluster: a.cluster ?? b.cluster,
      passA,
      passB,
      a: metric === 'pass' ? passA : a.scoreSum / a.scored,
      b: metric === 'pass' ? passB : b.scoreSum / b.scored,
    });
  }
  for (const caseId of B.cases.keys()) if (!A.cases.has(caseId)) onlyInCandidate.push(caseId);

  const n = pairs.length;
  const binary = pairs.every((p) => isZeroOne(p.passA) && isZeroOne(p.passB));
  const repeated = (side: Side) => [...side.cases.values()].some((c) => c.scored > 1);
  const baselineSide: ComparisonSide = {
    ...A.group,
    passRate: sideRate(
      pairs.map((p) => p.passA),
      repeated(A),
      { seed: opts.sideSeeds?.baseline ?? seed, confidence },
    ),
  };
  const candidateSide: ComparisonSide = {
    ...B.group,
    passRate: sideRate(
      pairs.map((p) => p.passB),
      repeated(B),
      { seed: opts.sideSeeds?.candidate ?? seed, confidence },
    ),
  };

  const flips = findFlips(pairs, protectedIds);
  const warnings: string[] = [];
  let table: Comparison['table'] = null;
  let difference: Difference;
  let p: number;
  let test: string;
  let mde: number | null = null;
  let score: ScoreStats | undefined;

  if (n === 0) {
    difference = { estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, confidence, method: 'none' };
    p = 1;
    test = 'none (no paired cases)';
  } else if (metric === 'pass' && binary) {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (const x of pairs) {
      if (x.passA === 1 && x.passB === 1) a++;
      else if (x.passA === 1) b++;
      else if (x.passB === 1) c++;
      else d++;
    }
    table = { bothPass: a, baselineOnly: b, candidateOnly: c, bothFail: d };
    const ci = newcombePairedDifference(a, b, c, d, confidence);
    difference = {
      estimate: (c - b) / n,
      lower: ci.lower,
      upper: ci.upper,
      confidence,
      method: 'Newcombe paired (method 10)',
    };
    p = mcnemarExact(b, c);
    test = 'exact McNemar';
    if (b + c > 0)
      mde = mdeProportion({
        n,
        baseline: (a + b) / n,
        alpha,
        power: POWER,
        paired: { discordance: (b + c) / n },
      });
  } else {
    const diffs = pairs.map((x) => x.b - x.a);
    const boot = pairedBootstrapInterval(diffs, { seed, resamples, confidence });
    const perm = signFlipTest(diffs, { seed });
    let wins = 0;
    let ties = 0;
    let losses = 0;
    for (const x of diffs) {
      if (Math.abs(x) <= 1e-12) ties++;
      else if (x > 0) wins++;
      else losses++;
    }
    const meanDifference = mean(diffs);
    const sdDifference = sampleSd(diffs);
    score = {
      meanDifference,
      sdDifference,
      bootstrap: {
        lower: boot.lower,
        upper: boot.upper,
        resamples: boot.resamples,
        seed: boot.seed,
        method: 'percentile',
      },
      permutation: { p: perm.p, exact: perm.exact, draws: perm.draws, seed: perm.seed },
      wins,
      ties,
      losses,
      signTestP: signTest(wins, losses),
    };
    difference = {
      estimate: meanDifference,
      lower: boot.lower,
      upper: boot.upper,
      confidence,
      method: `paired bootstrap percentile (${boot.resamples} resamples, seed ${boot.seed})`,
    };
    p = perm.p;
    test = perm.exact
      ? 'sign-flip permutation (exact)'
      : `sign-flip permutation (${perm.draws} draws, seed ${perm.seed})`;
    if (n >= 2 && sdDifference > 0) mde = mdeMean({ n, sd: sdDifference, alpha, power: POWER, paired: true });
    if (metric === 'pass')
      warnings.push(
        'repeats disagree within some cases: per-case pass rates are compared with the paired bootstrap and sign-flip test (no 2×2 table)',
      );
    if (metric === 'score') {
      baselineSide.meanScore = meanScore(
        pairs.map((x) => x.a),
        confidence,
      );
      candidateSide.meanScore = meanScore(
        pairs.map((x) => x.b),
        confidence,
      );
    }
  }

  if (n > 0 && n < 30)
    warnings.push(
      `only ${n} paired case${n === 1 ? '' : 's'} (n < 30): intervals are wide; only large differences are detectable`,
    );
  if (n > 0 && mde === null)
    warnings.push(
      'no case changed: the minimum detectable effect cannot be estimated from these runs (see `assay plan`)',
    );
  if (onlyInBaseline.length || onlyInCandidate.length)
    warnings.push(
      `not paired: ${onlyInBaseline.length} case${onlyInBaseline.length === 1 ? '' : 's'} only in the baseline, ${onlyInCandidate.length} only in the candidate`,
    );
  const erroredOne = errored.filter((e) => e.side !== 'both').length;
  if (errored.length)
    warnings.push(
      `${errored.length} case${errored.length === 1 ? '' : 's'} dropped because every result errored (${erroredOne} on one side only): errors are not counted as failures`,
    );
  if (partiallyErrored)
    warnings.push(
      `${partiallyErrored} paired case${partiallyErrored === 1 ? '' : 's'} had some repeats errored: the scored repeats are used`,
    );
  const hashA = opts.suiteHash?.baseline;
  const hashB = opts.suiteHash?.candidate;
  if (hashA && hashB && hashA !== hashB)
    warnings.push(
      `the runs used different suite contents (hash ${hashA.slice(0, 12)} vs ${hashB.slice(0, 12)}): cases with the same id may not be the same test`,
    );
  if (A.group.modelId !== B.group.modelId)
    warnings.push(
      `different models (${A.group.modelId} vs ${B.group.modelId}): a model change is part of the difference`,
    );
  else if (A.group.promptVersion === B.group.promptVersion && A.group.runId !== B.group.runId)
    warnings.push('same prompt version and model on both sides: any difference is run-to-run noise');

  let clustered: Comparison['clustered'];
  const clusterIds = pairs.map((x) => x.cluster ?? `\u0000${x.caseId}`);
  const distinct = new Set(clusterIds).size;
  if (n >= 2 && pairs.some((x) => x.cluster !== undefined) && distinct < n) {
    const ci = clusteredMeanInterval(
      pairs.map((x) => x.b - x.a),
      clusterIds,
      confidence,
    );
    clustered = { ...ci };
    warnings.push(
      `${n} paired cases share ${distinct} clusters (design effect ${ci.designEffect.toFixed(2)}, effective n ≈ ${Math.round(ci.effectiveN)}): the verdict also needs the cluster-robust interval [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}] to agree${distinct < 30 ? '; with fewer than 30 clusters it is itself approximate' : ''}`,
    );
  }
  // With clusters the verdict uses the wider of the two intervals.
  const verdict = decideVerdict({
    lower: clustered ? Math.min(difference.lower, clustered.lower) : difference.lower,
    upper: clustered ? Math.max(difference.upper, clustered.upper) : difference.upper,
    p,
    alpha,
    margin: opts.margin,
  });
  return {
    schemaVersion: 1,
    metric,
    baseline: baselineSide,
    candidate: candidateSide,
    pairing: { paired: n, onlyInBaseline, onlyInCandidate, errored, partiallyErrored },
    table,
    difference,
    p,
    pAdjusted: p,
    family: 1,
    test,
    flips,
    ...(score ? { score } : {}),
    ...(clustered ? { clustered } : {}),
    correlation:
      n >= 2
        ? pearson(
            pairs.map((x) => x.a),
            pairs.map((x) => x.b),
          )
        : null,
    verdict,
    alpha,
    ...(opts.margin !== undefined ? { margin: opts.margin } : {}),
    mde,
    power: POWER,
    seed,
    warnings,
  };
}

function collect(records: Iterable<ResultRecord>, side: 'baseline' | 'candidate'): Side {
  let group: Side['group'] | undefined;
  const cases = new Map<string, CaseAcc>();
  for (const r of records) {
    if (!group)
      group = { runId: r.runId, prompt: r.prompt, promptVersion: r.promptVersion, modelId: r.modelId };
    else if (
      r.promptVersion !== group.promptVersion ||
      r.modelId !== group.modelId ||
      r.runId !== group.runId
    )
      throw new AssayError(
        `the ${side} holds several prompt versions or models (${group.prompt}@${group.promptVersion} × ${group.modelId}, ${r.prompt}@${r.promptVersion} × ${r.modelId}): choose one with --prompt / --model`,
        2,
      );
    let acc = cases.get(r.caseId);
    if (!acc) {
      acc = { scored: 0, passes: 0, scoreSum: 0, errors: 0 };
      cases.set(r.caseId, acc);
    }
    if (r.cluster !== undefined) acc.cluster ??= r.cluster;
    if (r.status === 'error') acc.errors++;
    else {
      acc.scored++;
      if (r.status === 'pass') acc.passes++;
      acc.scoreSum += r.score ?? (r.status === 'pass' ? 1 : 0);
    }
  }
  return { group: group ?? { runId: '', prompt: '', promptVersion: '', modelId: '' }, cases };
}

/**
 * One side's pass rate over the paired cases, as `assay eval` computes it for the run: Wilson on the
 * results without repeats; with repeats pass@1 and `passAt1Interval` (same seed, 10,000 resamples).
 */
function sideRate(
  rates: number[],
  repeats: boolean,
  o: { seed: number; confidence: number },
): ComparisonSide['passRate'] {
  const n = rates.length;
  if (n === 0) return null;
  const passed = rates.reduce((s, x) => s + x, 0);
  if (repeats) {
    const r = passAt1Interval(rates, { seed: o.seed, resamples: 10_000, confidence: o.confidence });
    return { estimate: r.estimate, lower: r.lower, upper: r.upper, method: r.method, passed, n };
  }
  const w = wilsonFromProportion(Math.min(1, Math.max(0, passed / n)), n, o.confidence);
  return { estimate: passed / n, lower: w.lower, upper: w.upper, method: 'wilson', passed, n };
}

function meanScore(xs: number[], confidence: number): ComparisonSide['meanScore'] {
  const t = tInterval(xs, confidence);
  return { estimate: t.estimate, lower: t.lower, upper: t.upper, sd: t.sd, n: t.n, method: 't' };
}

function findFlips(pairs: Pair[], protectedIds: Set<string>): Flip[] {
  const flips: Flip[] = [];
  for (const x of pairs) {
    if (x.passB === x.passA) continue;
    flips.push({
      caseId: x.caseId,
      kind: x.passB < x.passA ? 'regression' : 'improvement',
      from: x.passA,
      to: x.passB,
      protected: protectedIds.has(x.caseId),
    });
  }
  // Stable sort: regressions first, protected first within a kind, then the baseline's case order.
  const rank = (f: Flip) => (f.kind === 'regression' ? 0 : 2) + (f.protected ? 0 : 1);
  return flips.sort((f, g) => rank(f) - rank(g));
}

function isZeroOne(x: number): boolean {
  return x === 0 || x === 1;
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function sampleSd(xs: number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

function pearson(xs: number[], ys: number[]): number | null {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
