import { describe, expect, it } from 'vitest';
import { newcombePairedDifference } from '../../src/core/stats/newcombe.ts';
import { createRandom } from '../../src/core/stats/random.ts';
import { wilsonInterval } from '../../src/core/stats/wilson.ts';

/**
 * Interval coverage, two ways: exactly, by enumerating every possible outcome with its probability, and by
 * simulation with a seeded generator. The simulation must agree with the enumeration within 3 Monte-Carlo
 * standard errors at every grid point (a check of the simulation and of the enumeration against each
 * other), and the grid-mean exact coverage must be near the nominal 95%.
 */
const DRAWS = 4000;
const mcSe = (c: number) => Math.sqrt((c * (1 - c)) / DRAWS);

function binomialPmf(n: number, p: number): Float64Array {
  const pmf = new Float64Array(n + 1);
  // log-space for stability at n = 100, p = 0.95
  let logC = 0;
  for (let x = 0; x <= n; x++) {
    if (x > 0) logC += Math.log(n - x + 1) - Math.log(x);
    pmf[x] = Math.exp(logC + x * Math.log(p) + (n - x) * Math.log1p(-p));
  }
  return pmf;
}

/** Draws from a discrete distribution by inverting its cumulative distribution. */
function sampler(probabilities: ArrayLike<number>, random: () => number): () => number {
  const cdf = new Float64Array(probabilities.length);
  let acc = 0;
  for (let i = 0; i < probabilities.length; i++) cdf[i] = acc += probabilities[i] as number;
  return () => {
    const u = random() * acc;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

describe('Wilson interval coverage (exact enumeration vs seeded simulation)', () => {
  const ps = [0.1, 0.5, 0.8, 0.95];
  const ns = [20, 50, 100];
  const exact: number[] = [];

  for (const p of ps) {
    for (const n of ns) {
      it(`p = ${p}, n = ${n}`, () => {
        const pmf = binomialPmf(n, p);
        const covers = new Uint8Array(n + 1);
        let coverage = 0;
        for (let x = 0; x <= n; x++) {
          const w = wilsonInterval(x, n);
          covers[x] = w.lower <= p && p <= w.upper ? 1 : 0;
          if (covers[x]) coverage += pmf[x] as number;
        }
        exact.push(coverage);
        const draw = sampler(pmf, createRandom(1000 * p + n));
        let hits = 0;
        for (let i = 0; i < DRAWS; i++) hits += covers[draw()] as number;
        const simulated = hits / DRAWS;
        expect(Math.abs(simulated - coverage)).toBeLessThanOrEqual(3 * mcSe(coverage));
        // no point is badly off (Wilson's known dips stay above ~90% on this grid)
        expect(coverage).toBeGreaterThan(0.9);
      });
    }
  }

  it('grid-mean exact coverage is between 94% and 96%', () => {
    expect(exact).toHaveLength(ps.length * ns.length);
    const mean = exact.reduce((s, c) => s + c, 0) / exact.length;
    expect(mean).toBeGreaterThanOrEqual(0.94);
    expect(mean).toBeLessThanOrEqual(0.96);
  });
});

describe('Newcombe paired-difference interval coverage (exact multinomial enumeration vs simulation)', () => {
  // Cell probabilities (both pass, A only, B only, both fail); true difference p_B − p_A = π_c − π_b.
  const cells: [number, number, number, number][] = [
    [0.6, 0.1, 0.2, 0.1],
    [0.4, 0.1, 0.1, 0.4],
    [0.7, 0.05, 0.15, 0.1],
    [0.25, 0.25, 0.25, 0.25],
    [0.5, 0.2, 0.05, 0.25],
  ];
  const ns = [20, 40];
  const exact: number[] = [];

  for (const pi of cells) {
    for (const n of ns) {
      it(`π = (${pi.join(', ')}), n = ${n}`, () => {
        const delta = pi[2] - pi[1];
        const [la, lb, lc, ld] = pi.map(Math.log) as [number, number, number, number];
        const logFact = [0];
        for (let i = 1; i <= n; i++) logFact.push((logFact[i - 1] as number) + Math.log(i));
        const lf = (i: number) => logFact[i] as number;
        const covered = new Map<number, boolean>();
        const key = (a: number, b: number, c: number) => (a * (n + 1) + b) * (n + 1) + c;
        const coversAt = (a: number, b: number, c: number, d: number) => {
          const k = key(a, b, c);
          let v = covered.get(k);
          if (v === undefined) {
            const ci = newcombePairedDifference(a, b, c, d);
            v = ci.lower <= delta + 1e-12 && delta - 1e-12 <= ci.upper;
            covered.set(k, v);
          }
          return v;
        };
        let coverage = 0;
        for (let a = 0; a <= n; a++)
          for (let b = 0; a + b <= n; b++)
            for (let c = 0; a + b + c <= n; c++) {
              const d = n - a - b - c;
              const logP = lf(n) - lf(a) - lf(b) - lf(c) - lf(d) + a * la + b * lb + c * lc + d * ld;
              if (coversAt(a, b, c, d)) coverage += Math.exp(logP);
            }
        exact.push(coverage);
        const cell = sampler(pi, createRandom(7 + 100 * n + exact.length));
        let hits = 0;
        for (let i = 0; i < DRAWS; i++) {
          const t = new Int32Array(4);
          for (let j = 0; j < n; j++) {
            const k = cell();
            t[k] = (t[k] as number) + 1;
          }
          const [a = 0, b = 0, c = 0, d = 0] = t;
          if (coversAt(a, b, c, d)) hits++;
        }
        const simulated = hits / DRAWS;
        expect(Math.abs(simulated - coverage)).toBeLessThanOrEqual(3 * mcSe(coverage));
        expect(coverage).toBeGreaterThan(0.9);
      });
    }
  }

  it('grid-mean exact coverage is between 94% and 96%', () => {
    expect(exact).toHaveLength(cells.length * ns.length);
    const mean = exact.reduce((s, c) => s + c, 0) / exact.length;
    expect(mean).toBeGreaterThanOrEqual(0.94);
    expect(mean).toBeLessThanOrEqual(0.96);
  });
});
