function check(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n)
    throw new RangeError(`c must be an integer in [0, ${n}], got ${c}`);
  if (!Number.isInteger(k) || k < 1 || k > n)
    throw new RangeError(`k must be an integer in [1, ${n}], got ${k}`);
}

/**
 * pass@k, the unbiased estimator of "at least one of k attempts succeeds" (Chen et al. 2021) for a case
 * run n times with c successes: 1 − C(n − c, k)/C(n, k), computed as the stable product
 * 1 − Π_{i = n−c+1..n} (1 − k/i) (no huge binomials). Exactly 1 when n − c < k. Needs 1 ≤ k ≤ n.
 */
export function passAtK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (n - c < k) return 1;
  let product = 1;
  for (let i = n - c + 1; i <= n; i++) product *= 1 - k / i;
  return 1 - product;
}

/**
 * pass^k, the unbiased estimator of "all k attempts succeed" (tau-bench, Yao et al. 2024): C(c, k)/C(n, k),
 * computed as the product Π_{i = 0..k−1} (c − i)/(n − i). Exactly 0 when c < k. Needs 1 ≤ k ≤ n.
 */
export function passHatK(n: number, c: number, k: number): number {
  check(n, c, k);
  if (c < k) return 0;
  let product = 1;
  for (let i = 0; i < k; i++) product *= (c - i) / (n - i);
  return product;
}
