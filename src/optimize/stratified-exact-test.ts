import { logGamma } from '../core/stats/incomplete-beta.ts';

/** One case's samples under the incumbent (before) and the candidate (after). */
export interface PairedCounts {
  beforePasses: number;
  beforeN: number;
  afterPasses: number;
  afterN: number;
}

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * One-sided exact test that the candidate passes more often than the incumbent, conditional on each
 * case's total passes (a stratified permutation test). Under the null — the edit changes nothing, so a
 * case's before and after samples are exchangeable draws — the candidate's passes of a case with t passes
 * among N = n_b + n_a samples are hypergeometric (N, t, n_a), independently across cases; the p-value is
 * P(S ≥ s) for S the sum over cases. With one sample each side it is the exact one-sided sign (McNemar)
 * test: P(X ≥ b) for X ~ Bin(b + c, ½). Cases whose samples all agree carry no information.
 */
export function stratifiedExactP(cases: readonly PairedCounts[]): number {
  // The distribution of S − (the smallest S possible), built case by case (convolution).
  let dist = [1];
  let observed = 0;
  for (const c of cases) {
    const N = c.beforeN + c.afterN;
    const t = c.beforePasses + c.afterPasses;
    const lo = Math.max(0, t - c.beforeN);
    const hi = Math.min(t, c.afterN);
    if (N === 0 || lo === hi) continue;
    const pmf: number[] = [];
    const denom = logChoose(N, c.afterN);
    for (let k = lo; k <= hi; k++)
      pmf.push(Math.exp(logChoose(t, k) + logChoose(N - t, c.afterN - k) - denom));
    const next = new Array<number>(dist.length + pmf.length - 1).fill(0);
    for (let i = 0; i < dist.length; i++)
      for (let j = 0; j < pmf.length; j++)
        next[i + j] = (next[i + j] as number) + (dist[i] as number) * (pmf[j] as number);
    dist = next;
    observed += c.afterPasses - lo;
  }
  let p = 0;
  for (let i = observed; i < dist.length; i++) p += dist[i] as number;
  return Math.min(1, p);
}
