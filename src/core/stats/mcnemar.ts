import { logGamma } from './incomplete-beta.ts';

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
  }
}

/** ln C(n, k). */
function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * ln P(X ≤ k) and ln P(X = k) for X ~ Binomial(n, 1/2), summed in log space (log-sum-exp). No array of
 * terms (spreading one into Math.max overflows the stack past ~125k terms): C(n, i) grows with i up to
 * n/2, so the largest term of i = 0 … k is the one at min(k, ⌊n/2⌋), known before the sum.
 */
function logLowerTailHalf(k: number, n: number): { tail: number; point: number } {
  const logHalfN = n * Math.log(0.5);
  const max = logChoose(n, Math.min(k, Math.floor(n / 2))) + logHalfN;
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(n, i) + logHalfN - max);
  return { tail: max + Math.log(sum), point: logChoose(n, k) + logHalfN };
}

/**
 * Exact (conditional) McNemar test, two-sided: p = min(1, 2 · P(X ≤ min(b, c))) with X ~ Bin(b + c, ½),
 * where b = pairs A passed and B failed, c = pairs A failed and B passed (both-pass and both-fail pairs
 * carry no information). Terms are summed in log space, so large b + c neither underflows nor loses
 * digits. b = c = 0 → 1. Equal to scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue.
 */
export function mcnemarExact(b: number, c: number): number {
  checkCount('b', b);
  checkCount('c', c);
  const n = b + c;
  if (n === 0) return 1;
  const { tail } = logLowerTailHalf(Math.min(b, c), n);
  return Math.min(1, 2 * Math.exp(tail));
}

/**
 * Mid-p McNemar: the exact two-sided p minus the probability of the observed split,
 * 2 · P(X ≤ k) − P(X = k) with k = min(b, c). Less conservative than the exact test; b = c → 1.
 */
export function mcnemarMidP(b: number, c: number): number {
  checkCount('b', b);
  checkCount('c', c);
  const n = b + c;
  if (n === 0) return 1;
  const { tail, point } = logLowerTailHalf(Math.min(b, c), n);
  return Math.min(1, 2 * Math.exp(tail) - Math.exp(point));
}
