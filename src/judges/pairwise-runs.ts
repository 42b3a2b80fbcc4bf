import { AssayError } from '../core/errors.ts';
import { createRandom, randomIndex } from '../core/stats/random.ts';
import { signTest } from '../core/stats/sign-test.ts';
import { type WilsonInterval, wilsonInterval } from '../core/stats/wilson.ts';
import { type PairwiseOutcome, type PairwiseSummary, resolvePairwise, summarizePairwise } from './jury.ts';
import type { PairwiseWinner } from './parse-verdict.ts';

/** What pairing needs of a stored result. */
export interface PairableResult {
  prompt: string;
  promptVersion: string;
  modelId: string;
  caseId: string;
  repeat: number;
  status: string;
  output?: string;
}

/** One output of run A and the matching output of run B. */
export interface OutputPair {
  caseId: string;
  /** The shared model, when both runs used the same models; else A's and B's are in `modelA`/`modelB`. */
  modelId?: string;
  modelA: string;
  modelB: string;
  repeat: number;
  outputA: string;
  outputB: string;
}

export interface RunPairing {
  pairs: OutputPair[];
  /** Pairs are keyed by model too (both runs used the same models). */
  byModel: boolean;
  /** Keys present in both runs where A's (or B's, or both) result has no output: not judged. */
  erroredA: number;
  erroredB: number;
  /** Keys only one run has. */
  onlyA: number;
  onlyB: number;
}

function promptVersions(results: readonly PairableResult[]): string[] {
  return [...new Set(results.map((r) => `${r.prompt}@${r.promptVersion}`))].sort();
}

function models(results: readonly PairableResult[]): string[] {
  return [...new Set(results.map((r) => r.modelId))].sort();
}

/**
 * Pairs the results of two runs: by (case, model, repeat) when both runs used the same models, else by
 * (case, repeat) when each used one model. Only keys with an output on both sides pair; errored results
 * are counted, never judged. Each run must hold one prompt version (one output per key); anything else,
 * or nothing to pair, is a usage error (exit 2).
 */
export function pairRunResults(
  a: readonly PairableResult[],
  b: readonly PairableResult[],
  names: { a: string; b: string } = { a: 'A', b: 'B' },
): RunPairing {
  for (const [results, name] of [
    [a, names.a],
    [b, names.b],
  ] as const) {
    if (results.length === 0) throw new AssayError(`run ${name} has no results to judge`, 2);
    const versions = promptVersions(results);
    if (versions.length > 1)
      throw new AssayError(
        `run ${name} evaluated ${versions.length} prompt versions (${versions.join(', ')}); pairwise judging compares one output per case, so evaluate one prompt per run (\`assay eval -p NAME\`)`,
        2,
      );
  }
  const modelsA = models(a);
  const modelsB = models(b);
  const byModel = modelsA.join('\u0000') === modelsB.join('\u0000');
  if (!byModel && (modelsA.length > 1 || modelsB.length > 1))
    throw new AssayError(
      `run ${names.a} used ${modelsA.join(', ')} and run ${names.b} used ${modelsB.join(', ')}: pairwise judging pairs the same models, or one model per run`,
      2,
    );
  const keyOf = (r: PairableResult) => `${r.caseId}\u0000${byModel ? r.modelId : ''}\u0000${r.repeat}`;
  const index = new Map<string, PairableResult>();
  for (const r of b) index.set(keyOf(r), r);
  const seen = new Set<string>();
  const pairing: RunPairing = { pairs: [], byModel, erroredA: 0, erroredB: 0, onlyA: 0, onlyB: 0 };
  for (const ra of a) {
    const key = keyOf(ra);
    seen.add(key);
    const rb = index.get(key);
    if (!rb) {
      pairing.onlyA++;
      continue;
    }
    const okA = ra.status !== 'error' && ra.output !== undefined;
    const okB = rb.status !== 'error' && rb.output !== undefined;
    if (!okA) pairing.erroredA++;
    if (!okB) pairing.erroredB++;
    if (!okA || !okB) continue;
    pairing.pairs.push({
      caseId: ra.caseId,
      ...(byModel ? { modelId: ra.modelId } : {}),
      modelA: ra.modelId,
      modelB: rb.modelId,
      repeat: ra.repeat,
      outputA: ra.output as string,
      outputB: rb.output as string,
    });
  }
  for (const key of index.keys()) if (!seen.has(key)) pairing.onlyB++;
  pairing.pairs.sort(
    (x, y) => cmp(x.caseId, y.caseId) || cmp(x.modelId ?? '', y.modelId ?? '') || x.repeat - y.repeat,
  );
  if (pairing.pairs.length === 0) {
    const shared = a.length - pairing.onlyA;
    throw new AssayError(
      shared === 0
        ? `runs ${names.a} and ${names.b} share no cases${byModel ? ' with the same model' : ''}: pairwise judging needs two runs of the same suite`
        : `runs ${names.a} and ${names.b} share ${shared} case result(s), but each errored on at least one side: nothing to judge`,
      2,
    );
  }
  return pairing;
}

function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `limit` pairs drawn without replacement with a seeded generator, kept in their original order. */
export function samplePairs<T>(pairs: readonly T[], limit: number | undefined, seed: number): T[] {
  if (limit === undefined || limit >= pairs.length) return [...pairs];
  const random = createRandom(seed);
  const idx = pairs.map((_, i) => i);
  for (let i = 0; i < limit; i++) {
    const j = i + randomIndex(random, idx.length - i);
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  return idx
    .slice(0, limit)
    .sort((x, y) => x - y)
    .map((i) => pairs[i] as T);
}

/** One pair after judging: both orders' verdicts, or why it could not be judged. */
export interface JudgedPair {
  caseId: string;
  modelId?: string;
  repeat: number;
  /** Verdict with A shown first. */
  ab?: PairwiseWinner;
  /** Verdict with B shown first ("A" there names the first-shown output, i.e. B). */
  ba?: PairwiseWinner;
  error?: string;
}

export type PositionBiasDirection = 'first' | 'second' | 'none';

export interface PreferenceTest {
  /** Units where B won / A won (pairs, or cases when cases hold several pairs). */
  winsA: number;
  winsB: number;
  ties: number;
  /** Two-sided exact sign test over the decisive units. */
  p: number;
}

export interface PairwiseRunsSummary extends PairwiseSummary {
  /** Pairs the judge could not decide (a call failed, a reply did not parse): no winner, not in the counts. */
  errors: number;
  /** Both orders said tie. */
  consistentTies: number;
  /** The orders disagreed (a tie by `resolvePairwise`). */
  orderDisagreements: number;
  /** Inconsistent pairs where each order picked the first-shown / second-shown output. */
  firstPosition: number;
  secondPosition: number;
  positionBias: PositionBiasDirection;
  /** Share of decisive pairs B won, Wilson 95% (NaN estimate with no decisive pair). */
  winRateB: WilsonInterval & { n: number };
  /** Sign test over the decisive pairs. */
  signTestP: number;
  /** When a case holds several judged pairs (repeats, models): the sign test over cases (net winner per case). */
  byCase?: PreferenceTest & { cases: number };
  verdict: { preferred: 'A' | 'B' | null; alpha: number; text: string };
}

/**
 * Aggregates judged pairs: `resolvePairwise` per pair, `summarizePairwise` over them, the win rate of B
 * among decisive pairs (Wilson) and the exact sign test. Pairs are not independent when a case holds
 * several of them, so the verdict then uses the sign test over cases (the net winner of each case).
 */
export function summarizePairwiseRuns(judged: readonly JudgedPair[], alpha = 0.05): PairwiseRunsSummary {
  const outcomes: { pair: JudgedPair; outcome: PairwiseOutcome }[] = [];
  let errors = 0;
  for (const pair of judged) {
    if (pair.error !== undefined || pair.ab === undefined || pair.ba === undefined) errors++;
    else outcomes.push({ pair, outcome: resolvePairwise(pair.ab, pair.ba) });
  }
  const base = summarizePairwise(outcomes.map((o) => o.outcome));
  const firstPosition = outcomes.filter((o) => o.outcome.firstPositionBias).length;
  const secondPosition = outcomes.filter((o) => o.outcome.secondPositionBias).length;
  const decisive = base.winsA + base.winsB;
  const signTestP = signTest(base.winsB, base.winsA);

  const perCase = new Map<string, number[]>();
  for (const { pair, outcome } of outcomes) {
    const nets = perCase.get(pair.caseId) ?? [];
    nets.push(outcome.winner === 'B' ? 1 : outcome.winner === 'A' ? -1 : 0);
    perCase.set(pair.caseId, nets);
  }
  let byCase: PairwiseRunsSummary['byCase'];
  if ([...perCase.values()].some((nets) => nets.length > 1)) {
    const t = { winsA: 0, winsB: 0, ties: 0 };
    for (const nets of perCase.values()) {
      const net = nets.reduce((s, x) => s + x, 0);
      if (net > 0) t.winsB++;
      else if (net < 0) t.winsA++;
      else t.ties++;
    }
    byCase = { ...t, p: signTest(t.winsB, t.winsA), cases: perCase.size };
  }

  const test = byCase ?? { winsA: base.winsA, winsB: base.winsB, p: signTestP };
  const unit = byCase ? ' cases' : '';
  const pText = formatPValue(test.p);
  let verdict: PairwiseRunsSummary['verdict'];
  if (test.winsA + test.winsB === 0)
    verdict = {
      preferred: null,
      alpha,
      text: `no preference: no decisive ${byCase ? 'case' : 'pair'} (${outcomes.length} judged, ${errors} errors)`,
    };
  else if (test.p < alpha && test.winsA !== test.winsB) {
    const preferred = test.winsB > test.winsA ? 'B' : 'A';
    const [w, l] = preferred === 'B' ? [test.winsB, test.winsA] : [test.winsA, test.winsB];
    verdict = { preferred, alpha, text: `${preferred} is preferred: ${w} vs ${l}${unit}, p ${pText}` };
  } else
    verdict = {
      preferred: null,
      alpha,
      text: `no detectable preference: B ${test.winsB} vs A ${test.winsA}${unit}, p ${pText}`,
    };

  return {
    ...base,
    errors,
    consistentTies: base.ties - base.inconsistent,
    orderDisagreements: base.inconsistent,
    firstPosition,
    secondPosition,
    positionBias:
      firstPosition > secondPosition ? 'first' : secondPosition > firstPosition ? 'second' : 'none',
    winRateB: { ...wilsonInterval(base.winsB, decisive), n: decisive },
    signTestP,
    ...(byCase ? { byCase } : {}),
    verdict,
  };
}

/** `= 0.043`, `< 0.001`. */
export function formatPValue(p: number): string {
  if (p < 0.001) return '< 0.001';
  return `= ${p >= 0.1 ? p.toFixed(2) : p.toFixed(3)}`;
}
