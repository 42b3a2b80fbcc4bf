import { describe, expect, it } from 'vitest';
import { juryVerdict, resolvePairwise, summarizePairwise } from './jury.ts';

describe('resolvePairwise', () => {
  it('a winner only when both orders agree', () => {
    expect(resolvePairwise('A', 'B')).toEqual({
      winner: 'A',
      consistent: true,
      firstPositionBias: false,
      secondPositionBias: false,
    });
    expect(resolvePairwise('B', 'A').winner).toBe('B');
    expect(resolvePairwise('tie', 'tie')).toMatchObject({ winner: 'tie', consistent: true });
  });

  it('disagreement between orders is a tie, counted as inconsistent, with the bias direction', () => {
    expect(resolvePairwise('A', 'A')).toEqual({
      winner: 'tie',
      consistent: false,
      firstPositionBias: true,
      secondPositionBias: false,
    });
    expect(resolvePairwise('B', 'B')).toMatchObject({ winner: 'tie', secondPositionBias: true });
    expect(resolvePairwise('A', 'tie')).toMatchObject({
      winner: 'tie',
      consistent: false,
      firstPositionBias: false,
    });
  });
});

describe('summarizePairwise', () => {
  it('counts wins, ties, inconsistency and the first-position rate', () => {
    const s = summarizePairwise([
      resolvePairwise('A', 'B'),
      resolvePairwise('A', 'B'),
      resolvePairwise('B', 'A'),
      resolvePairwise('tie', 'tie'),
      resolvePairwise('A', 'A'),
      resolvePairwise('A', 'A'),
      resolvePairwise('A', 'A'),
      resolvePairwise('B', 'B'),
    ]);
    expect(s).toEqual({
      pairs: 8,
      winsA: 2,
      winsB: 1,
      ties: 5,
      inconsistent: 4,
      positionConsistency: 0.5,
      firstPositionRate: 0.75,
    });
  });

  it('NaN rates when nothing to divide by', () => {
    expect(summarizePairwise([]).positionConsistency).toBeNaN();
    expect(summarizePairwise([resolvePairwise('A', 'B')]).firstPositionRate).toBeNaN();
  });
});

describe('juryVerdict', () => {
  it('majority: strictly more than half; an even split fails', () => {
    expect(juryVerdict([{ pass: true }, { pass: true }, { pass: false }], 'majority')).toEqual({
      pass: true,
      score: 2 / 3,
      agreement: 2 / 3,
      jurors: 3,
    });
    expect(juryVerdict([{ pass: true }, { pass: false }], 'majority').pass).toBe(false);
  });

  it('mean: mean score (unscored jurors count 1/0) against the threshold', () => {
    const v = juryVerdict(
      [{ pass: true, score: 0.75 }, { pass: false, score: 0.25 }, { pass: true }],
      'mean',
    );
    expect(v.score).toBeCloseTo(2 / 3, 12);
    expect(v.pass).toBe(true);
    expect(v.agreement).toBeCloseTo(2 / 3, 12);
    expect(
      juryVerdict(
        [
          { pass: true, score: 0.75 },
          { pass: false, score: 0.25 },
        ],
        'mean',
        0.6,
      ).pass,
    ).toBe(false);
    expect(
      juryVerdict(
        [
          { pass: true, score: 0.75 },
          { pass: false, score: 0.25 },
        ],
        'mean',
        0.5,
      ).pass,
    ).toBe(true);
  });

  it('rejects an empty jury and out-of-range scores', () => {
    expect(() => juryVerdict([], 'majority')).toThrow(/at least one/);
    expect(() => juryVerdict([{ pass: true, score: 2 }], 'mean')).toThrow(/not in \[0, 1\]/);
  });
});
