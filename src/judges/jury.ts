import type { PairwiseWinner } from './parse-verdict.ts';

/** One pair judged in both orders, resolved: a winner only when both orders agree. */
export interface PairwiseOutcome {
  winner: PairwiseWinner;
  /** Both orders named the same output (or both said tie). */
  consistent: boolean;
  /** Inconsistent and each order picked the output shown first (position bias toward the first slot). */
  firstPositionBias: boolean;
  /** Inconsistent and each order picked the output shown second. */
  secondPositionBias: boolean;
}

/**
 * Resolves a pair judged twice: `ab` with A shown first, `ba` with B shown first (so in `ba`, "A" names
 * the first-shown output, which is B). A wins only if both orders say A, B only if both say B; anything
 * else is a tie, and a disagreement is counted as inconsistent.
 */
export function resolvePairwise(ab: PairwiseWinner, ba: PairwiseWinner): PairwiseOutcome {
  const second: PairwiseWinner = ba === 'A' ? 'B' : ba === 'B' ? 'A' : 'tie';
  const consistent = ab === second;
  return {
    winner: consistent ? ab : 'tie',
    consistent,
    firstPositionBias: !consistent && ab === 'A' && ba === 'A',
    secondPositionBias: !consistent && ab === 'B' && ba === 'B',
  };
}

export interface PairwiseSummary {
  pairs: number;
  winsA: number;
  winsB: number;
  /** Consistent ties plus every inconsistent pair. */
  ties: number;
  inconsistent: number;
  /** Share of pairs with consistent verdicts (NaN with no pairs). */
  positionConsistency: number;
  /** Among inconsistent pairs, the share where both orders picked the first-shown output (NaN if none). */
  firstPositionRate: number;
}

/** Counts over resolved pairs: wins, ties (inconsistent pairs included) and the position-bias rates. */
export function summarizePairwise(outcomes: readonly PairwiseOutcome[]): PairwiseSummary {
  let winsA = 0;
  let winsB = 0;
  let ties = 0;
  let inconsistent = 0;
  let first = 0;
  for (const o of outcomes) {
    if (o.winner === 'A') winsA++;
    else if (o.winner === 'B') winsB++;
    else ties++;
    if (!o.consistent) inconsistent++;
    if (o.firstPositionBias) first++;
  }
  const pairs = outcomes.length;
  return {
    pairs,
    winsA,
    winsB,
    ties,
    inconsistent,
    positionConsistency: pairs === 0 ? Number.NaN : (pairs - inconsistent) / pairs,
    firstPositionRate: inconsistent === 0 ? Number.NaN : first / inconsistent,
  };
}

/** One juror's verdict: pass/fail and, for scored scales, a score in [0, 1]. */
export interface JurorVerdict {
  pass: boolean;
  score?: number;
}

export interface JuryVerdict {
  pass: boolean;
  /** Majority: share of jurors voting pass. Mean: mean score (pass → 1, fail → 0 for unscored jurors). */
  score: number;
  /** Share of jurors agreeing with the jury's decision. */
  agreement: number;
  jurors: number;
}

export type JuryMode = 'majority' | 'mean';

/**
 * Pools several judges' verdicts. `majority`: passes when strictly more than half vote pass (an even
 * split fails). `mean`: passes when the mean score reaches `threshold` (default 0.5). Needs ≥ 1 juror.
 */
export function juryVerdict(verdicts: readonly JurorVerdict[], mode: JuryMode, threshold = 0.5): JuryVerdict {
  const n = verdicts.length;
  if (n === 0) throw new Error('a jury needs at least one verdict');
  for (const v of verdicts)
    if (v.score !== undefined && !(v.score >= 0 && v.score <= 1))
      throw new Error(`juror score ${v.score} is not in [0, 1]`);
  const passes = verdicts.filter((v) => v.pass).length;
  let pass: boolean;
  let score: number;
  if (mode === 'majority') {
    score = passes / n;
    pass = passes * 2 > n;
  } else {
    score = verdicts.reduce((s, v) => s + (v.score ?? (v.pass ? 1 : 0)), 0) / n;
    pass = score >= threshold - 1e-12;
  }
  const agreeing = verdicts.filter((v) => v.pass === pass).length;
  return { pass, score, agreement: agreeing / n, jurors: n };
}
