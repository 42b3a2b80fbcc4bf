import { mcnemarExact } from './mcnemar.ts';

/**
 * Exact two-sided sign test for paired scores: wins = pairs where B > A, losses = pairs where B < A;
 * ties are dropped before calling (they carry no information about direction).
 * p = min(1, 2 · P(X ≤ min(wins, losses))), X ~ Bin(wins + losses, ½) — on 0/1 data this is the exact
 * McNemar test. No untied pairs → 1.
 */
export function signTest(wins: number, losses: number): number {
  if (!Number.isInteger(wins) || wins < 0)
    throw new RangeError(`wins must be a non-negative integer, got ${wins}`);
  if (!Number.isInteger(losses) || losses < 0) {
    throw new RangeError(`losses must be a non-negative integer, got ${losses}`);
  }
  return mcnemarExact(wins, losses);
}
