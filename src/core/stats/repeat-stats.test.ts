import { describe, expect, it } from 'vitest';
import { type RepeatCase, repeatStats } from './repeat-stats.ts';
import { tInterval } from './student-t.ts';
import { wilsonFromProportion } from './wilson.ts';

/** stats-judges.md §3.2 worked example: 60 cases × 5 repeats. */
function workedExample(): RepeatCase[] {
  const counts: [number, number][] = [
    [30, 5],
    [12, 4],
    [6, 3],
    [4, 2],
    [3, 1],
    [5, 0],
  ];
  const cases: RepeatCase[] = [];
  for (const [howMany, passes] of counts)
    for (let i = 0; i < howMany; i++) cases.push({ caseId: `c${cases.length}`, passes, k: 5 });
  return cases;
}

describe('repeatStats', () => {
  it('reproduces the worked example of stats-judges.md §3.2 / §1.3', () => {
    const s = repeatStats(workedExample());
    expect(s).toMatchObject({ cases: 60, k: 5, seed: 0 });
    expect(s.passAt1.estimate).toBeCloseTo(0.757, 3);
    expect(s.passAt1.method).toBe('student-t over cases');
    const rates = workedExample().map((c) => c.passes / c.k);
    const t = tInterval(rates);
    expect(s.passAt1.lower).toBeCloseTo(t.lower, 12);
    expect(s.passAt1.upper).toBeCloseTo(t.upper, 12);
    expect(s.variance.se).toBeCloseTo(0.042, 3);
    expect(s.variance.naiveSe).toBeCloseTo(0.025, 3); // the n·k understatement
    const byK = (xs: { k: number; estimate: number }[], k: number) => xs.find((x) => x.k === k)?.estimate;
    expect(byK(s.passHatK, 1)).toBeCloseTo(0.757, 3);
    expect(byK(s.passHatK, 2)).toBeCloseTo(0.657, 3);
    expect(byK(s.passHatK, 5)).toBeCloseTo(0.5, 12);
    expect(byK(s.passAtK, 5)).toBeCloseTo(0.917, 3);
    expect(s.flaky).toHaveLength(25);
    expect(s.variance.within).toBeCloseTo(0.1, 12);
    expect(s.variance.between).toBeCloseTo(0.086, 3);
    expect(s.variance.advice).toBe('more cases');
    expect(s.variance.withinShare).toBeCloseTo(0.02 / (0.042 ** 2 * 60), 1);
  });

  it('gives each pass^k a bootstrap interval over cases that contains the estimate', () => {
    const s = repeatStats(workedExample(), { seed: 3, resamples: 2000 });
    for (const e of [...s.passAtK, ...s.passHatK]) {
      expect(e.lower).toBeLessThanOrEqual(e.estimate + 1e-12);
      expect(e.upper).toBeGreaterThanOrEqual(e.estimate - 1e-12);
    }
    const p5 = s.passHatK[4];
    // about ±12.7 points around 50% (stats-judges.md §8.3 prints [37.3, 62.7])
    expect((p5?.upper ?? 0) - (p5?.lower ?? 0)).toBeGreaterThan(0.2);
    expect((p5?.upper ?? 0) - (p5?.lower ?? 0)).toBeLessThan(0.3);
    expect(repeatStats(workedExample(), { seed: 3, resamples: 2000 })).toEqual(s);
  });

  it('matches the §8.7 golden pass@k / pass^k for a single case with n = 10, c = 7', () => {
    const s = repeatStats([{ caseId: 'x', passes: 7, k: 10 }]);
    expect(s.passAtK[1]?.estimate).toBeCloseTo(0.9333, 4);
    expect(s.passHatK[1]?.estimate).toBeCloseTo(0.4667, 4);
    expect(s.passAtK[3]?.estimate).toBeCloseTo(1, 12);
    expect(s.passHatK[3]?.estimate).toBeCloseTo(0.1667, 4);
  });

  it('uses a bootstrap over cases below 30 cases and Wilson over cases at 0 or 1', () => {
    const small = repeatStats(
      Array.from({ length: 10 }, (_, i) => ({ caseId: `c${i}`, passes: i % 4, k: 3 })),
      { seed: 9 },
    );
    expect(small.passAt1.method).toBe('bootstrap over cases');
    expect(small.passAt1.lower).toBeGreaterThanOrEqual(0);
    const all = repeatStats(Array.from({ length: 8 }, (_, i) => ({ caseId: `c${i}`, passes: 3, k: 3 })));
    expect(all.passAt1).toMatchObject({ estimate: 1, method: 'wilson over cases', upper: 1, n: 8 });
    expect(all.passAt1.lower).toBeCloseTo(wilsonFromProportion(1, 8).lower, 12);
    expect(all.flaky).toEqual([]);
  });

  it('lists flaky cases most unstable first and advises more repeats when within-case noise dominates', () => {
    // every case is a coin flip: no between-case variance at all
    const cases = Array.from({ length: 40 }, (_, i) => ({
      caseId: `c${i}`,
      passes: [1, 2, 1, 1][i % 4] as number,
      k: 3,
    }));
    const s = repeatStats(cases);
    expect(s.flaky).toHaveLength(40);
    expect(s.variance.advice).toBe('more repeats');
    expect(
      repeatStats([
        { caseId: 'b', passes: 1, k: 5 },
        { caseId: 'a', passes: 3, k: 5 },
        { caseId: 'c', passes: 5, k: 5 },
      ]).flaky.map((c) => c.caseId),
    ).toEqual(['a', 'b']);
  });

  it('limits k to the fewest scored repeats and warns', () => {
    const s = repeatStats([
      { caseId: 'a', passes: 2, k: 4 },
      { caseId: 'b', passes: 1, k: 2 },
    ]);
    expect(s.k).toBe(4);
    expect(s.passHatK.map((e) => e.k)).toEqual([1, 2]);
    expect(s.warnings.join('\n')).toMatch(/fewer scored repeats/);
  });

  it('never gives a zero-width interval when every case has the same rate (--repeat 2, all 1/2)', () => {
    const cases = Array.from({ length: 5 }, (_, i) => ({ caseId: `c${i}`, passes: 1, k: 2 }));
    const s = repeatStats(cases, { seed: 1, resamples: 1000 });
    const w = wilsonFromProportion(0.5, 5);
    expect(s.passAt1).toMatchObject({ estimate: 0.5, method: 'wilson over cases', n: 5 });
    expect(s.passAt1.lower).toBeCloseTo(w.lower, 12);
    expect(s.passAt1.upper).toBeCloseTo(w.upper, 12);
    for (const e of [...s.passAtK, ...s.passHatK]) {
      expect(e.method).toBe('wilson over cases');
      expect(e.upper - e.lower).toBeGreaterThan(0.2);
    }
    // pass^2 = 0 on every case: [0, Wilson upper for 0/5], not [0, 0]
    expect(s.passHatK[1]).toMatchObject({ estimate: 0, lower: 0 });
    expect(s.passHatK[1]?.upper).toBeCloseTo(wilsonFromProportion(0, 5).upper, 12);
    // all of the variance is repeat noise: more repeats, and no NaN
    expect(s.variance.withinShare).toBe(1);
    expect(s.variance.advice).toBe('more repeats');
    // every case always passes: no noise of any kind, share 0 (not NaN)
    const solid = repeatStats(Array.from({ length: 5 }, (_, i) => ({ caseId: `c${i}`, passes: 2, k: 2 })));
    expect(solid.variance.withinShare).toBe(0);
    expect(solid.variance.advice).toBe('more cases');
    for (const e of [...solid.passAtK, ...solid.passHatK]) expect(e.lower).toBeLessThan(1);
  });

  it('handles no cases and rejects bad counts', () => {
    expect(repeatStats([]).cases).toBe(0);
    expect(() => repeatStats([{ caseId: 'a', passes: 4, k: 3 }])).toThrow(RangeError);
  });
});

describe('repeatStats on a large run', () => {
  it('switches pass^k intervals to Student-t over cases to bound the work, and stays fast', () => {
    const cases = Array.from({ length: 20_000 }, (_, i) => ({
      caseId: `c${i}`,
      passes: i % 6 === 5 ? 5 : i % 6,
      k: 5,
    }));
    const t = performance.now();
    const s = repeatStats(cases);
    expect(performance.now() - t).toBeLessThan(1500);
    expect(s).toMatchObject({ intervalMethod: 'student-t over cases', resamples: 0 });
    expect(s.passAt1.method).toBe('student-t over cases');
    expect(s.passHatK[4]?.lower).toBeLessThan(s.passHatK[4]?.estimate ?? 0);
  });
});
