import { describe, expect, it } from 'vitest';
import { paraphraseConsistency } from './paraphrase-consistency.ts';

const one = (caseId: string, cluster: string, pass: boolean) => ({
  caseId,
  cluster,
  passed: pass ? 1 : 0,
  scored: 1,
});

describe('paraphraseConsistency', () => {
  it('gives agreement over clusters with a Wilson interval, the pair flip rate and the mean spread', () => {
    const c = paraphraseConsistency([
      one('c1', 'A', true),
      one('c2', 'A', true),
      one('c3', 'A', true), // agrees: 3 pairs, 0 flips
      one('c4', 'B', true),
      one('c5', 'B', false), // disagrees: 1 pair, 1 flip, spread 1
      one('c6', 'C', false),
      one('c7', 'C', false), // agrees: 1 pair
      one('c8', 'D', true), // a single case: not a paraphrase group
      { caseId: 'c9', cluster: 'D', passed: 0, scored: 0 }, // errored only: left out
    ]);
    expect(c).not.toBeNull();
    if (!c) return;
    expect(c.clusters).toBe(3);
    expect(c.cases).toBe(7);
    expect(c.agreeing).toBe(2);
    // Wilson 2/3 at 95%: [0.2077, 0.9385].
    expect(c.agreement.estimate).toBeCloseTo(2 / 3, 12);
    expect(c.agreement.lower).toBeCloseTo(0.20766, 5);
    expect(c.agreement.upper).toBeCloseTo(0.93851, 5);
    expect(c.pairs).toBe(5);
    expect(c.flippedPairs).toBe(1);
    expect(c.flipRate).toBeCloseTo(0.2, 12);
    expect(c.meanSpread).toBeCloseTo(1 / 3, 12);
    expect(c.disagreeing).toEqual([{ cluster: 'B', cases: 2, passRate: 0.5, spread: 1 }]);
  });

  it('uses per-case pass rates with repeats: a pair flips with the chance two random repeats disagree', () => {
    const c = paraphraseConsistency([
      { caseId: 'a', cluster: 'X', passed: 2, scored: 2 },
      { caseId: 'b', cluster: 'X', passed: 1, scored: 2 }, // p = 1 and 0.5: flip 1·0.5 + 0.5·0 = 0.5
      { caseId: 'c', cluster: 'Y', passed: 0, scored: 3 },
      { caseId: 'd', cluster: 'Y', passed: 0, scored: 1 },
    ]);
    if (!c) throw new Error('expected a result');
    expect(c.agreeing).toBe(1);
    expect(c.flippedPairs).toBeCloseTo(0.5, 12);
    expect(c.flipRate).toBeCloseTo(0.25, 12);
    expect(c.meanSpread).toBeCloseTo(0.25, 12);
    expect(c.disagreeing).toEqual([{ cluster: 'X', cases: 2, passRate: 0.75, spread: 0.5 }]);
  });

  it('says nothing with fewer than two paraphrase groups', () => {
    expect(
      paraphraseConsistency([one('a', 'X', true), one('b', 'X', false), one('c', 'Y', true)]),
    ).toBeNull();
    expect(paraphraseConsistency([])).toBeNull();
  });

  it('refuses counts that are not counts', () => {
    expect(() => paraphraseConsistency([{ caseId: 'a', cluster: 'X', passed: 3, scored: 2 }])).toThrow(
      RangeError,
    );
  });
});
