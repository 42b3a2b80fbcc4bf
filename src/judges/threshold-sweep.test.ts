import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../core/stats/wilson.ts';
import { thresholdSweep } from './threshold-sweep.ts';

describe('thresholdSweep', () => {
  // Humans pass items 2, 3, 4, 5, 8, 9 (score ≥ 4) and fail 0, 1, 6, 7.
  const judge = [1, 2, 3, 3, 4, 5, 2, 4, 5, 5];
  const human = [1, 2, 4, 5, 4, 5, 3, 2, 5, 4];
  const sweep = thresholdSweep(judge, human, { passThreshold: 4 });

  it('counts each cutoff against the human pass/fail reference', () => {
    expect(sweep).toMatchObject({ passThreshold: 4, n: 10, humanPasses: 6, humanFails: 4, best: 3 });
    expect(sweep.rows.map((r) => r.cutoff)).toEqual([2, 3, 4, 5]);
    expect(sweep.rows.map((r) => r.confusion)).toEqual([
      { judgePassHumanPass: 6, judgePassHumanFail: 3, judgeFailHumanPass: 0, judgeFailHumanFail: 1 },
      { judgePassHumanPass: 6, judgePassHumanFail: 1, judgeFailHumanPass: 0, judgeFailHumanFail: 3 },
      { judgePassHumanPass: 4, judgePassHumanFail: 1, judgeFailHumanPass: 2, judgeFailHumanFail: 3 },
      { judgePassHumanPass: 3, judgePassHumanFail: 0, judgeFailHumanPass: 3, judgeFailHumanFail: 4 },
    ]);
  });

  it('gives TPR, TNR with Wilson intervals, κ, agreement and Youden J exactly', () => {
    const [c2, c3, c4, c5] = sweep.rows;
    expect(c3?.tpr).toEqual(wilsonInterval(6, 6));
    expect(c3?.tnr).toEqual(wilsonInterval(3, 4));
    expect(c4?.tpr).toEqual(wilsonInterval(4, 6));
    expect(c3?.agreement).toBe(0.9);
    // p_o 0.9, p_e 0.7·0.6 + 0.3·0.4 = 0.54 → κ = 0.36 / 0.46
    expect(c3?.kappa).toBeCloseTo(0.36 / 0.46, 12);
    expect(c2?.youdenJ).toBeCloseTo(0.25, 12);
    expect(c3?.youdenJ).toBeCloseTo(0.75, 12);
    expect(c4?.youdenJ).toBeCloseTo(4 / 6 + 0.75 - 1, 12);
    expect(c5?.youdenJ).toBeCloseTo(0.5, 12);
  });

  it('marks the best and the configured cutoff', () => {
    expect(sweep.rows.map((r) => [r.best, r.configured])).toEqual([
      [false, false],
      [true, false],
      [false, true],
      [false, false],
    ]);
  });

  it('breaks a tie in favour of the configured cutoff', () => {
    // Every cutoff separates 1 from 5 perfectly: J = 1 throughout.
    const s = thresholdSweep([1, 1, 5, 5], [1, 2, 5, 4], { passThreshold: 4 });
    expect(s.rows.map((r) => r.youdenJ)).toEqual([1, 1, 1, 1]);
    expect(s.best).toBe(4);
    expect(s.rows.filter((r) => r.best).map((r) => r.cutoff)).toEqual([4]);
  });

  it('otherwise breaks a tie in favour of the lower cutoff', () => {
    // Cutoffs 2 and 3 reach J = 1; the configured 4 only 0.5.
    const s = thresholdSweep([1, 3, 5], [1, 4, 5], { passThreshold: 4 });
    expect(s.rows.map((r) => r.youdenJ)).toEqual([1, 1, 0.5, 0.5]);
    expect(s.best).toBe(2);
  });

  it('adds a configured threshold that is not a candidate, so its J can be compared', () => {
    const s = thresholdSweep([1, 1, 5, 5], [1, 2, 5, 4], { passThreshold: 3.5 });
    expect(s.rows.map((r) => r.cutoff)).toEqual([2, 3, 3.5, 4, 5]);
    expect(s.best).toBe(3.5);
    expect(
      thresholdSweep([1, 5], [1, 5], { passThreshold: 4, cutoffs: [3, 2] }).rows.map((r) => r.cutoff),
    ).toEqual([2, 3, 4]);
  });

  it('has no best cutoff when the humans passed (or failed) everything', () => {
    const s = thresholdSweep([2, 4, 5], [4, 5, 5], { passThreshold: 4 });
    expect(s.humanFails).toBe(0);
    expect(s.best).toBeUndefined();
    expect(s.rows.every((r) => Number.isNaN(r.youdenJ) && !r.best)).toBe(true);
    expect(s.rows[0]?.tnr.estimate).toBeNaN();
  });

  it('rejects unpaired scores', () => {
    expect(() => thresholdSweep([1, 2], [1], { passThreshold: 4 })).toThrow(/pair up: 2 vs 1/);
  });
});
