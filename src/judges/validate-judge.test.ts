import { describe, expect, it } from 'vitest';
import type { HumanAnnotation, JudgeItemVerdict } from './validate-judge.ts';
import { validateJudge } from './validate-judge.ts';

/** Items with the given (judge, human) pass/fail counts, keyed k0, k1, … in that order. */
function binaryItems(counts: { tp: number; fp: number; fn: number; tn: number }, annotator = 'ann') {
  const judgeVerdicts: JudgeItemVerdict[] = [];
  const annotations: HumanAnnotation[] = [];
  const add = (n: number, judge: boolean, human: boolean): void => {
    for (let i = 0; i < n; i++) {
      const key = `k${judgeVerdicts.length}`;
      judgeVerdicts.push({ key, verdict: judge });
      annotations.push({ key, annotator, verdict: human });
    }
  };
  add(counts.tp, true, true);
  add(counts.fp, true, false);
  add(counts.fn, false, true);
  add(counts.tn, false, false);
  return { judgeVerdicts, annotations };
}

describe('validateJudge · binary', () => {
  // The worked example of stats-judges.md §8.5.
  const report = validateJudge({
    ...binaryItems({ tp: 45, fp: 5, fn: 10, tn: 40 }),
    scale: 'binary',
    seed: 1,
  });

  it('reports the confusion matrix, rates and κ exactly', () => {
    const b = report.binary;
    if (!b) throw new Error('missing binary report');
    expect(b.confusion).toEqual({
      judgePassHumanPass: 45,
      judgePassHumanFail: 5,
      judgeFailHumanPass: 10,
      judgeFailHumanFail: 40,
    });
    expect(b.n).toBe(100);
    expect(b.humanPasses).toBe(55);
    expect(b.humanFails).toBe(45);
    expect(b.agreement.estimate).toBe(0.85);
    expect(b.kappa.estimate).toBeCloseTo(0.7, 12);
    expect(b.tpr.estimate).toBe(45 / 55);
    expect(b.tnr.estimate).toBe(40 / 45);
    expect(b.precision.estimate).toBe(0.9);
    expect(b.prevalence).toEqual({ judge: 0.5, human: 0.55 });
    expect(b.direction).toBe('harsher');
  });

  it('gives the Wilson intervals and a κ bootstrap interval like the research notes', () => {
    const b = report.binary;
    if (!b) throw new Error('missing binary report');
    expect(b.tpr.lower).toBeCloseTo(0.697, 3);
    expect(b.tpr.upper).toBeCloseTo(0.898, 3);
    expect(b.tnr.lower).toBeCloseTo(0.765, 3);
    expect(b.tnr.upper).toBeCloseTo(0.952, 3);
    expect(b.kappa.lower).toBeGreaterThan(0.53);
    expect(b.kappa.lower).toBeLessThan(0.59);
    expect(b.kappa.upper).toBeGreaterThan(0.81);
    expect(b.kappa.upper).toBeLessThan(0.87);
    expect(b.kappa.seed).toBe(1);
    expect(b.kappaAsymptotic.se).toBeGreaterThan(0);
  });

  it('is validated with κ ≥ 0.6 and TPR, TNR ≥ 0.8, without warnings', () => {
    expect(report.status).toBe('validated');
    expect(report.reasons).toEqual(['Cohen’s κ 0.700 ≥ 0.6', 'TPR 0.818 ≥ 0.8', 'TNR 0.889 ≥ 0.8']);
    expect(report.warnings).toEqual([]);
    expect(report.humanAlpha).toBeUndefined();
    expect(report.unmatched).toEqual({ judgeOnly: 0, annotationsOnly: 0, humanTies: 0 });
  });

  it('is weak when one rule fails, and the thresholds are configurable', () => {
    const strict = validateJudge({
      ...binaryItems({ tp: 45, fp: 5, fn: 10, tn: 40 }),
      scale: 'binary',
      thresholds: { minTpr: 0.9 },
    });
    expect(strict.status).toBe('weak');
    expect(strict.reasons).toContain('TPR 0.818 below 0.9');
    const lenient = validateJudge({
      ...binaryItems({ tp: 35, fp: 5, fn: 20, tn: 40 }),
      scale: 'binary',
      thresholds: { minKappa: 0.5, minTpr: 0.6 },
    });
    // p_o = 0.75, p_e = 0.4·0.55 + 0.6·0.45 = 0.49 → κ = 0.26/0.51.
    expect(lenient.binary?.kappa.estimate).toBeCloseTo(26 / 51, 12);
    expect(lenient.status).toBe('validated');
  });

  it('warns about the κ paradox when one class dominates', () => {
    const r = validateJudge({ ...binaryItems({ tp: 90, fp: 5, fn: 5, tn: 0 }), scale: 'binary' });
    expect(r.binary?.kappa.estimate).toBeCloseTo(-1 / 19, 12);
    expect(r.binary?.agreement.estimate).toBe(0.9);
    expect(r.warnings.some((w) => w.startsWith('κ paradox'))).toBe(true);
    expect(r.status).toBe('weak');
  });

  it('calls a judge that passes more than the humans kinder', () => {
    const r = validateJudge({ ...binaryItems({ tp: 50, fp: 10, fn: 0, tn: 40 }), scale: 'binary' });
    expect(r.binary?.direction).toBe('kinder');
    expect(r.binary?.tpr.estimate).toBe(1);
    expect(r.binary?.tnr.estimate).toBe(0.8);
  });

  it('is weak when the annotations have one class only', () => {
    const r = validateJudge({ ...binaryItems({ tp: 10, fp: 0, fn: 0, tn: 0 }), scale: 'binary' });
    expect(r.status).toBe('weak');
    expect(r.binary?.tnr.estimate).toBeNaN();
    expect(r.reasons).toContain(
      'the annotations need at least one human pass and one human fail to measure TPR and TNR',
    );
  });

  it('leaves out and counts unmatched keys', () => {
    const items = binaryItems({ tp: 45, fp: 5, fn: 10, tn: 40 });
    const r = validateJudge({
      judgeVerdicts: [...items.judgeVerdicts, { key: 'only-judged', verdict: true }],
      annotations: [...items.annotations, { key: 'only-annotated', annotator: 'ann', verdict: false }],
      scale: 'binary',
    });
    expect(r.n).toBe(100);
    expect(r.unmatched).toEqual({ judgeOnly: 1, annotationsOnly: 1, humanTies: 0 });
    expect(r.warnings).toHaveLength(1);
  });

  it('is weak with nothing to compare', () => {
    const r = validateJudge({ judgeVerdicts: [], annotations: [], scale: 'binary' });
    expect(r.status).toBe('weak');
    expect(r.n).toBe(0);
    expect(r.binary).toBeUndefined();
  });

  it('rejects verdicts of the wrong type and duplicate judge keys', () => {
    expect(() =>
      validateJudge({ judgeVerdicts: [{ key: 'a', verdict: 1 }], annotations: [], scale: 'binary' }),
    ).toThrow(/key a: a binary verdict must be true or false/);
    expect(() =>
      validateJudge({ judgeVerdicts: [{ key: 'a', verdict: true }], annotations: [], scale: 'ordinal' }),
    ).toThrow(/ordinal verdict must be a finite number/);
    expect(() =>
      validateJudge({
        judgeVerdicts: [
          { key: 'a', verdict: true },
          { key: 'a', verdict: false },
        ],
        annotations: [],
        scale: 'binary',
      }),
    ).toThrow(/appears twice/);
  });
});

describe('validateJudge · several annotators', () => {
  // Three annotators on six items; the judge follows the majority except on k5.
  const humans: Record<string, [boolean, boolean, boolean]> = {
    k0: [true, true, true],
    k1: [true, true, false],
    k2: [false, false, false],
    k3: [false, true, false],
    k4: [true, true, true],
    k5: [false, false, true],
  };
  const judgeVerdicts: JudgeItemVerdict[] = [
    { key: 'k0', verdict: true },
    { key: 'k1', verdict: true },
    { key: 'k2', verdict: false },
    { key: 'k3', verdict: false },
    { key: 'k4', verdict: true },
    { key: 'k5', verdict: true },
  ];
  const annotations: HumanAnnotation[] = Object.entries(humans).flatMap(([key, vs]) =>
    vs.map((verdict, i) => ({ key, annotator: ['ana', 'bo', 'cy'][i] as string, verdict })),
  );

  it('compares the judge with the majority and reports α among the humans', () => {
    const r = validateJudge({ judgeVerdicts, annotations, scale: 'binary' });
    expect(r.annotators).toEqual(['ana', 'bo', 'cy']);
    expect(r.binary?.confusion).toEqual({
      judgePassHumanPass: 3,
      judgePassHumanFail: 1,
      judgeFailHumanPass: 0,
      judgeFailHumanFail: 2,
    });
    // Human α by hand: 18 values, 10 pass / 8 fail; k1, k3, k5 each add 2·(2·1)/(3 − 1) = 2 to o(pass, fail) + o(fail, pass),
    // so D_o = 6/18 = 1/3; D_e = 2·10·8/(18·17) = 80/153; α = 1 − (1/3)/(80/153) = 29/80.
    expect(r.humanAlpha?.level).toBe('nominal');
    expect(r.humanAlpha?.units).toBe(6);
    expect(r.humanAlpha?.alpha).toBeCloseTo(29 / 80, 12);
  });

  it('leaves out keys where the annotators tie', () => {
    const r = validateJudge({
      judgeVerdicts: [...judgeVerdicts, { key: 'tie', verdict: true }],
      annotations: [
        ...annotations,
        { key: 'tie', annotator: 'ana', verdict: true },
        { key: 'tie', annotator: 'bo', verdict: false },
      ],
      scale: 'binary',
    });
    expect(r.n).toBe(6);
    expect(r.unmatched.humanTies).toBe(1);
  });
});

describe('validateJudge · ordinal', () => {
  // Judge vs one human on 1–5: differences −1 on two items, +2 on one, 0 on the rest.
  const pairs: [number, number][] = [
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [5, 5],
    [2, 3],
    [3, 4],
    [5, 3],
  ];
  const judgeVerdicts = pairs.map(([j], i) => ({ key: `k${i}`, verdict: j }));
  const annotations = pairs.map(([, h], i) => ({ key: `k${i}`, annotator: 'ann', verdict: h }));

  it('reports agreement, weighted κ, rank correlations and the signed difference', () => {
    const r = validateJudge({ judgeVerdicts, annotations, scale: 'ordinal' });
    const o = r.ordinal;
    if (!o) throw new Error('missing ordinal report');
    expect(o.n).toBe(8);
    expect(o.categories).toEqual([1, 2, 3, 4, 5]);
    expect(o.exactAgreement).toBe(5 / 8);
    expect(o.withinOneAgreement).toBe(7 / 8);
    expect(o.meanSignedDifference).toBe(0);
    expect(o.direction).toBe('same');
    // Quadratic κ_w by hand with distances (i − j)²/16: Σ w o = (1 + 1 + 4)/16 / 8 = 6/128;
    // marginals judge (1,2,2,1,2)/8, human (1,1,3,2,1)/8 → Σ w e = Σ J_i H_j (i − j)²/(64·16) = 206/1024;
    // κ_w = 1 − (6/128)/(206/1024) = 79/103.
    expect(o.quadraticKappa.estimate).toBeCloseTo(79 / 103, 12);
    // scipy.stats.spearmanr / kendalltau on the same pairs.
    expect(o.spearman).toBeCloseTo(0.7563090889558273, 12);
    expect(o.kendall).toBeCloseTo(0.6940220937885672, 12);
    expect(r.binary).toBeUndefined();
    expect(r.reasons[0]).toMatch(/^quadratic-weighted κ 0\.\d{3} ≥ 0\.6$/);
    expect(r.status).toBe('validated');
  });

  it('adds pass/fail rates and the TPR/TNR rule with passScore', () => {
    const r = validateJudge({ judgeVerdicts, annotations, scale: 'ordinal', passScore: 4 });
    // Pass = score ≥ 4: judge passes k3, k4, k7; humans pass k3, k4, k6.
    expect(r.binary?.confusion).toEqual({
      judgePassHumanPass: 2,
      judgePassHumanFail: 1,
      judgeFailHumanPass: 1,
      judgeFailHumanFail: 4,
    });
    expect(r.binary?.tpr.estimate).toBe(2 / 3);
    expect(r.status).toBe('weak');
    expect(r.reasons).toContain('TPR 0.667 below 0.8');
  });

  it('sweeps the judge cutoff with passScore and says when another cutoff does better', () => {
    const r = validateJudge({ judgeVerdicts, annotations, scale: 'ordinal', passScore: 4 });
    const sweep = r.thresholdSweep;
    if (!sweep) throw new Error('missing threshold sweep');
    // Humans pass k3, k4, k6 (3) and fail 5. J at cutoffs 2..5: 1/5, 3/5, 2/3 + 4/5 − 1, 1/3 + 4/5 − 1.
    expect(sweep).toMatchObject({ passThreshold: 4, n: 8, humanPasses: 3, humanFails: 5, best: 3 });
    const js = sweep.rows.map((row) => row.youdenJ);
    for (const [i, j] of [0.2, 0.6, 2 / 3 + 0.8 - 1, 1 / 3 + 0.8 - 1].entries())
      expect(js[i]).toBeCloseTo(j, 12);
    // The configured cutoff's row is the binary report's.
    const configured = sweep.rows.find((row) => row.configured);
    expect(configured?.cutoff).toBe(4);
    expect(configured?.confusion).toEqual(r.binary?.confusion);
    expect(configured?.kappa).toBeCloseTo(r.binary?.kappa.estimate ?? Number.NaN, 12);
    expect(r.warnings).toContain(
      'threshold: passing judge scores ≥ 3 matches the human pass/fail (human score ≥ 4) better than the configured passThreshold 4 (Youden J 0.60 vs 0.47); the pick is fitted to these annotations — confirm it on others before changing the judge',
    );
  });

  it('does not sweep without passScore, and stays quiet when the configured cutoff is best', () => {
    expect(validateJudge({ judgeVerdicts, annotations, scale: 'ordinal' }).thresholdSweep).toBeUndefined();
    const r = validateJudge({ judgeVerdicts, annotations, scale: 'ordinal', passScore: 3 });
    // Humans pass k2, k3, k4, k5 (3), k6, k7; the judge at ≥ 3 misses only k5 (score 2): J 5/6 is the best.
    expect(r.thresholdSweep?.best).toBe(3);
    expect(r.warnings.some((w) => w.startsWith('threshold:'))).toBe(false);
  });
});

describe('validateJudge · length bias', () => {
  // The judge passes the three longest outputs; the humans alternate. A judge-only item is left out.
  const lengths = [600, 500, 400, 300, 200, 100];
  const judgeVerdicts: JudgeItemVerdict[] = [
    ...lengths.map((outputLength, i) => ({ key: `k${i}`, verdict: i < 3, outputLength })),
    { key: 'unannotated', verdict: false, outputLength: 10_000 },
  ];
  const annotations = lengths.map((_, i) => ({ key: `k${i}`, annotator: 'ann', verdict: i % 2 === 0 }));

  it('correlates the judge and the humans with output length over the validated items', () => {
    const r = validateJudge({ judgeVerdicts, annotations, scale: 'binary' });
    const b = r.lengthBias;
    if (!b) throw new Error('missing length bias');
    expect(b.n).toBe(6);
    // Ranks: two groups of 3 against 1..6 → ρ = 13.5/√(13.5 · 17.5) for the judge, a third of it for humans.
    expect(b.judge).toBeCloseTo(Math.sqrt(13.5 / 17.5), 12);
    expect(b.human).toBeCloseTo(Math.sqrt(13.5 / 17.5) / 3, 12);
    expect(b.bias).toBe('rewards');
    expect(r.warnings).toContain(
      'length bias: the judge rewards length more than the annotators do (Spearman ρ with output length 0.88 for the judge, 0.29 for the humans; n = 6)',
    );
  });

  it('needs a length on every validated item, and a valid one', () => {
    const [first, ...rest] = judgeVerdicts;
    const withoutOne = [{ key: first?.key as string, verdict: true }, ...rest];
    expect(
      validateJudge({ judgeVerdicts: withoutOne, annotations, scale: 'binary' }).lengthBias,
    ).toBeUndefined();
    expect(() =>
      validateJudge({
        judgeVerdicts: [{ key: 'k0', verdict: true, outputLength: -1 }],
        annotations,
        scale: 'binary',
      }),
    ).toThrow(/output length for key k0 must be a non-negative integer, got -1/);
  });

  it('calls a judge that scores lower harsher and uses α ordinal among several humans', () => {
    const r = validateJudge({
      judgeVerdicts: [
        { key: 'a', verdict: 2 },
        { key: 'b', verdict: 3 },
        { key: 'c', verdict: 4 },
      ],
      annotations: [
        { key: 'a', annotator: 'x', verdict: 3 },
        { key: 'a', annotator: 'y', verdict: 3 },
        { key: 'b', annotator: 'x', verdict: 4 },
        { key: 'b', annotator: 'y', verdict: 4 },
        { key: 'c', annotator: 'x', verdict: 5 },
        { key: 'c', annotator: 'y', verdict: 5 },
      ],
      scale: 'ordinal',
    });
    expect(r.ordinal?.meanSignedDifference).toBe(-1);
    expect(r.ordinal?.direction).toBe('harsher');
    expect(r.ordinal?.spearman).toBeCloseTo(1, 12);
    expect(r.humanAlpha).toEqual({ alpha: 1, level: 'ordinal', units: 3 });
  });
});
