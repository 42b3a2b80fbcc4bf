import { describe, expect, it } from 'vitest';
import { AssayError } from '../core/errors.ts';
import {
  type JudgedPair,
  type PairableResult,
  pairRunResults,
  samplePairs,
  summarizePairwiseRuns,
} from './pairwise-runs.ts';
import type { PairwiseWinner } from './parse-verdict.ts';

const res = (
  caseId: string,
  over: Partial<PairableResult> = {},
  output: string | undefined = `out ${caseId}`,
): PairableResult => ({
  prompt: 'support',
  promptVersion: 'v1',
  modelId: 'fake:m',
  caseId,
  repeat: 0,
  status: 'pass',
  ...(output !== undefined ? { output } : {}),
  ...over,
});

function thrown(f: () => unknown): AssayError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AssayError);
    return e as AssayError;
  }
  throw new Error('expected an AssayError');
}

describe('pairRunResults', () => {
  it('pairs by case, model and repeat when both runs used the same models; errors and one-sided keys are counted', () => {
    const v2 = { promptVersion: 'v2' };
    const a = [
      res('c2'),
      res('c1'),
      res('c1', { repeat: 1 }),
      res('c1', { modelId: 'fake:n' }),
      res('c3', { status: 'error' }, undefined),
      res('c4'),
      res('c5'),
    ];
    const b = [
      res('c1', { ...v2 }, 'b1'),
      res('c1', { ...v2, repeat: 1 }, 'b1r'),
      res('c1', { ...v2, modelId: 'fake:n' }, 'b1n'),
      res('c2', v2, 'b2'),
      res('c3', v2, 'b3'),
      res('c4', { ...v2, status: 'error' }, undefined),
      res('c6', v2),
    ];
    const p = pairRunResults(a, b);
    expect(p.byModel).toBe(true);
    expect(p.pairs.map((x) => [x.caseId, x.modelId, x.repeat, x.outputA, x.outputB])).toEqual([
      ['c1', 'fake:m', 0, 'out c1', 'b1'],
      ['c1', 'fake:m', 1, 'out c1', 'b1r'],
      ['c1', 'fake:n', 0, 'out c1', 'b1n'],
      ['c2', 'fake:m', 0, 'out c2', 'b2'],
    ]);
    expect(p).toMatchObject({ erroredA: 1, erroredB: 1, onlyA: 1, onlyB: 1 });
  });

  it('pairs by case and repeat when each run used one, different model', () => {
    const p = pairRunResults([res('c1'), res('c2')], [res('c1', { modelId: 'fake:other' }, 'x')]);
    expect(p.byModel).toBe(false);
    expect(p.pairs).toEqual([
      { caseId: 'c1', modelA: 'fake:m', modelB: 'fake:other', repeat: 0, outputA: 'out c1', outputB: 'x' },
    ]);
    expect(p.onlyA).toBe(1);
  });

  it('refuses what it cannot pair, with exit 2 and a way out', () => {
    const two = thrown(() =>
      pairRunResults([res('c1'), res('c1', { prompt: 'other', promptVersion: 'w' })], [res('c1')], {
        a: 'A (r1)',
        b: 'B (r2)',
      }),
    );
    expect(two.exitCode).toBe(2);
    expect(two.message).toMatch(/run A \(r1\) evaluated 2 prompt versions .*assay eval -p NAME/);
    const models = thrown(() =>
      pairRunResults([res('c1'), res('c1', { modelId: 'fake:n' })], [res('c1', { modelId: 'fake:o' })]),
    );
    expect(models.message).toMatch(/the same models, or one model per run/);
    expect(thrown(() => pairRunResults([res('c1')], [res('c9')])).message).toMatch(/share no cases/);
    expect(
      thrown(() => pairRunResults([res('c1')], [res('c1', { status: 'error' }, undefined)])).message,
    ).toMatch(/each errored on at least one side/);
    expect(thrown(() => pairRunResults([], [res('c1')])).message).toMatch(/no results/);
  });
});

describe('samplePairs', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  it('keeps everything without a limit or with a limit at or above n', () => {
    expect(samplePairs(items, undefined, 1)).toEqual(items);
    expect(samplePairs(items, 50, 1)).toEqual(items);
  });
  it('draws `limit` distinct items, in their original order, the same for the same seed', () => {
    const s = samplePairs(items, 10, 7);
    expect(s).toHaveLength(10);
    expect(new Set(s).size).toBe(10);
    expect([...s].sort((x, y) => x - y)).toEqual(s);
    expect(samplePairs(items, 10, 7)).toEqual(s);
    expect(samplePairs(items, 10, 8)).not.toEqual(s);
  });
});

function judged(n: number, ab: PairwiseWinner, ba: PairwiseWinner, prefix: string): JudgedPair[] {
  return Array.from({ length: n }, (_, i) => ({ caseId: `${prefix}${i}`, repeat: 0, ab, ba }));
}

describe('summarizePairwiseRuns', () => {
  // B shown first in `ba`: "A" there names B. So (ab B, ba A) is a consistent B win.
  const pairs: JudgedPair[] = [
    ...judged(18, 'B', 'A', 'b'),
    ...judged(7, 'A', 'B', 'a'),
    ...judged(3, 'tie', 'tie', 't'),
    ...judged(4, 'A', 'A', 'f'), // both orders picked the first-shown output
    ...judged(1, 'B', 'B', 's'), // both picked the second-shown
    ...judged(2, 'A', 'tie', 'x'), // one order undecided
    { caseId: 'e0', repeat: 0, error: "judge reply is not a JSON object: 'A'" },
    { caseId: 'e1', repeat: 0, ab: 'A' },
  ];
  const s = summarizePairwiseRuns(pairs);

  it('counts wins, consistent ties, order disagreements and errors', () => {
    expect(s).toMatchObject({
      pairs: 35,
      winsB: 18,
      winsA: 7,
      ties: 10,
      consistentTies: 3,
      orderDisagreements: 7,
      inconsistent: 7,
      errors: 2,
      firstPosition: 4,
      secondPosition: 1,
      positionBias: 'first',
    });
    expect(s.positionConsistency).toBe(28 / 35);
    expect(s.firstPositionRate).toBe(4 / 7);
    expect(s.byCase).toBeUndefined();
  });

  it('gives the win rate of B over decisive pairs with its Wilson interval, and the exact sign test', () => {
    // Wilson 95% for 18/25, from the formula.
    const z = 1.959963984540054;
    const n = 25;
    const p = 18 / 25;
    const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
    const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
    expect(s.winRateB.n).toBe(25);
    expect(s.winRateB.estimate).toBe(0.72);
    expect(s.winRateB.lower).toBeCloseTo(centre - half, 10);
    expect(s.winRateB.upper).toBeCloseTo(centre + half, 10);
    // 2 · P(X ≤ 7), X ~ Bin(25, ½) = 2 · 726206 / 2^25.
    expect(s.signTestP).toBeCloseTo((2 * 726206) / 2 ** 25, 14);
    expect(s.verdict).toEqual({ preferred: 'B', alpha: 0.05, text: 'B is preferred: 18 vs 7, p = 0.043' });
  });

  it('says when there is no detectable preference, or nothing decisive', () => {
    const close = summarizePairwiseRuns([...judged(6, 'B', 'A', 'b'), ...judged(4, 'A', 'B', 'a')]);
    expect(close.verdict.preferred).toBeNull();
    expect(close.verdict.text).toBe('no detectable preference: B 6 vs A 4, p = 0.75');
    const none = summarizePairwiseRuns([...judged(3, 'tie', 'tie', 't'), ...judged(2, 'A', 'A', 'f')]);
    expect(none.verdict.preferred).toBeNull();
    expect(none.verdict.text).toMatch(/^no preference: no decisive pair/);
    expect(none.winRateB.n).toBe(0);
    expect(Number.isNaN(none.winRateB.estimate)).toBe(true);
    expect(none.positionBias).toBe('first');
    expect(summarizePairwiseRuns([]).positionBias).toBe('none');
  });

  it('tests cases, not pairs, when a case holds several pairs (repeats are not independent)', () => {
    const rep = (caseId: string, repeat: number, w: 'A' | 'B' | 'tie'): JudgedPair => ({
      caseId,
      repeat,
      ab: w,
      ba: w === 'A' ? 'B' : w === 'B' ? 'A' : 'tie',
    });
    const s2 = summarizePairwiseRuns([
      rep('c1', 0, 'B'),
      rep('c1', 1, 'B'),
      rep('c2', 0, 'B'),
      rep('c2', 1, 'A'),
      rep('c3', 0, 'A'),
      rep('c3', 1, 'tie'),
      rep('c4', 0, 'B'),
      rep('c4', 1, 'tie'),
    ]);
    expect(s2).toMatchObject({ winsB: 4, winsA: 2, ties: 2 });
    expect(s2.byCase).toEqual({ winsB: 2, winsA: 1, ties: 1, cases: 4, p: expect.closeTo(1, 12) });
    expect(s2.verdict.text).toBe('no detectable preference: B 2 vs A 1 cases, p = 1.00');
  });
});
