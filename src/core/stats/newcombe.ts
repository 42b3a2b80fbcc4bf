import { wilsonInterval } from './wilson.ts';

export interface PairedDifferenceInterval {
  /** p_B − p_A = (c − b)/n; NaN when n = 0. */
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * Newcombe's (1998) "method 10" interval for the difference of two paired proportions, p_B − p_A, from the
 * paired 2×2 table a = both pass, b = A only passes, c = B only passes, d = both fail (n = a + b + c + d).
 * With p₁ = p_B = (a + c)/n, p₂ = p_A = (a + b)/n, their Wilson limits (l₁, u₁), (l₂, u₂), D = p₁ − p₂ and
 * the continuity-corrected correlation φ = C / √((a+b)(c+d)(a+c)(b+d)), where C = ad − bc − n/2 when
 * ad − bc > n/2, C = ad − bc when ad − bc < 0 and C = 0 otherwise (φ = 0 when a margin is empty):
 *   lower = D − √((p₁ − l₁)² − 2φ(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²)
 *   upper = D + √((p₂ − l₂)² − 2φ(p₂ − l₂)(u₁ − p₁) + (u₁ − p₁)²)
 * Stays within [−1, 1] and is sane at 0/n and n/n. n = 0 → NaN estimate and [−1, 1].
 */
export function newcombePairedDifference(
  a: number,
  b: number,
  c: number,
  d: number,
  confidence = 0.95,
): PairedDifferenceInterval {
  for (const [name, value] of [
    ['a', a],
    ['b', b],
    ['c', c],
    ['d', d],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
    }
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  }
  const n = a + b + c + d;
  if (n === 0) return { estimate: Number.NaN, lower: -1, upper: 1 };
  const p1 = (a + c) / n;
  const p2 = (a + b) / n;
  const w1 = wilsonInterval(a + c, n, confidence);
  const w2 = wilsonInterval(a + b, n, confidence);
  const difference = (c - b) / n;
  const cross = a * d - b * c;
  const corrected = cross > n / 2 ? cross - n / 2 : Math.min(cross, 0);
  const marginProduct = (a + b) * (c + d) * (a + c) * (b + d);
  const phi = marginProduct === 0 ? 0 : corrected / Math.sqrt(marginProduct);
  const dl1 = p1 - w1.lower;
  const du1 = w1.upper - p1;
  const dl2 = p2 - w2.lower;
  const du2 = w2.upper - p2;
  const lower = difference - Math.sqrt(Math.max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
  const upper = difference + Math.sqrt(Math.max(0, dl2 * dl2 - 2 * phi * dl2 * du1 + du1 * du1));
  return { estimate: difference, lower: Math.max(-1, lower), upper: Math.min(1, upper) };
}
