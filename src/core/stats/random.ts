/**
 * A seeded pseudo-random generator: mulberry32 (Tommy Ettinger's 32-bit mixer over a Weyl sequence).
 * Returns a function giving uniform numbers in [0, 1) with 32 bits of resolution. The same seed always
 * gives the same sequence on every platform, which is what makes resampling results reproducible: every
 * bootstrap and permutation in Assay takes a seed and reports it. Not for cryptography.
 * The seed is taken modulo 2^32 (negative and fractional seeds are reduced, not rejected).
 */
export function createRandom(seed: number): () => number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n) from a generator made by `createRandom`. */
export function randomIndex(random: () => number, n: number): number {
  return Math.floor(random() * n);
}
