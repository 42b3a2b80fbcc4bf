import { describe, expect, it } from 'vitest';
import type { ResultRecord, ResultStatus } from '../types.ts';
import { bootstrapInterval } from './bootstrap.ts';
import { clusteredMeanInterval } from './clustered.ts';
import { passAt1Interval } from './repeat-stats.ts';
import { tInterval } from './student-t.ts';
import { summarizeResults } from './summarize-results.ts';
import { wilsonFromProportion, wilsonInterval } from './wilson.ts';

function result(caseId: string, status: ResultStatus, extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    runId: 'r',
    prompt: 'p',
    promptVersion: 'v1',
    modelId: 'fake:m',
    caseId,
    repeat: 0,
    status,
    checks: [],
    usage: { inputTokens: 10, outputTokens: 5 },
    latencyMs: 100,
    cost: 0.001,
    attempts: 1,
    cached: false,
    category: 'representative',
    createdAt: '2026-11-24T00:00:00.000Z',
    ...(status === 'error' ? { error: { kind: 'server' as const, message: 'HTTP 500' } } : {}),
    ...extra,
  };
}

describe('summarizeResults', () => {
  it('counts errors apart: they are excluded from the pass rate and its n', () => {
    const s = summarizeResults([
      ...Array.from({ length: 17 }, (_, i) => result(`p${i}`, 'pass')),
      ...Array.from({ length: 3 }, (_, i) => result(`f${i}`, 'fail')),
      result('e1', 'error', { cost: 0, usage: {} }),
      result('e2', 'error', { cost: 0, usage: {} }),
    ]);
    const [g] = s.groups;
    expect(g).toMatchObject({ total: 22, scored: 20, passed: 17, failed: 3, errors: 2, cases: 20 });
    expect(g?.errorKinds).toEqual({ server: 2 });
    const w = wilsonInterval(17, 20);
    expect(g?.passRate).toEqual({ ...w, method: 'wilson', confidence: 0.95, n: 20 });
    expect(g?.passRate?.lower).toBeCloseTo(0.6396, 4); // the golden 17/20 from stats-judges §8.7
    expect(g?.cost).toBeCloseTo(0.02, 10);
    expect(s.errors).toBe(2);
  });

  it('with repeats, averages per case and takes the interval from the variation across cases', () => {
    // 4 cases × 5 repeats: per-case pass rates 1, 1, 0.6, 0 → pass@1 = 0.65 over n = 4 cases, not 20 results.
    const rows: ResultRecord[] = [];
    const passes = [5, 5, 3, 0];
    passes.forEach((k, c) => {
      for (let r = 0; r < 5; r++) rows.push(result(`c${c}`, r < k ? 'pass' : 'fail', { repeat: r }));
    });
    const s = summarizeResults(rows, { seed: 11 });
    const [g] = s.groups;
    expect(g).toMatchObject({ scored: 20, passed: 13, cases: 4, clustered: null });
    // n < 30 cases: a seeded percentile bootstrap over the 4 per-case rates
    expect(g?.passRate).toEqual({
      ...passAt1Interval([1, 1, 0.6, 0], { seed: 11 }),
      method: 'bootstrap over cases',
      confidence: 0.95,
      n: 4,
    });
    expect(g?.passRate?.estimate).toBeCloseTo(0.65, 12);
    // treating the 20 results as independent would give a much narrower (wrong) interval
    const naive = wilsonInterval(13, 20);
    const rate = g?.passRate;
    expect((rate?.upper ?? 0) - (rate?.lower ?? 0)).toBeGreaterThan(naive.upper - naive.lower);
    // the repeats section: pass^k up to k = 5, the one flaky case, the variance split, the seed
    expect(g?.repeats).toMatchObject({
      cases: 4,
      k: 5,
      seed: 11,
      flaky: [{ caseId: 'c2', passes: 3, k: 5 }],
    });
    expect(g?.repeats?.passHatK.map((e) => e.k)).toEqual([1, 2, 3, 4, 5]);
    expect(g?.repeats?.passHatK[4]?.estimate).toBeCloseTo(0.5, 12);
    expect(g?.repeats?.variance.advice).toBe('more cases');
    expect(s.warnings.join('\n')).toMatch(/only 4 cases; the interval is wide/);
    expect(summarizeResults(rows, { seed: 11 })).toEqual(s);
  });

  it('with repeats on 30+ cases uses Student-t over the per-case pass rates', () => {
    const rows: ResultRecord[] = [];
    for (let c = 0; c < 40; c++)
      for (let r = 0; r < 3; r++) rows.push(result(`c${c}`, r < c % 4 ? 'pass' : 'fail', { repeat: r }));
    const [g] = summarizeResults(rows).groups;
    const rates = Array.from({ length: 40 }, (_, c) => Math.min(3, c % 4) / 3);
    const t = tInterval(rates);
    expect(g?.passRate?.method).toBe('student-t over cases');
    expect(g?.passRate?.lower).toBeCloseTo(t.lower, 12);
    expect(g?.passRate?.upper).toBeCloseTo(t.upper, 12);
    expect(g?.passRate?.n).toBe(40);
  });

  it('gives a cluster-robust interval when cases declare clusters, and warns below 30 clusters', () => {
    const rows = Array.from({ length: 24 }, (_, i) =>
      result(`c${i}`, Math.floor(i / 4) % 2 === 0 ? 'pass' : 'fail', { cluster: `doc${Math.floor(i / 4)}` }),
    );
    const s = summarizeResults(rows);
    const [g] = s.groups;
    const expected = clusteredMeanInterval(
      rows.map((r) => (r.status === 'pass' ? 1 : 0)),
      rows.map((r) => `c:${r.cluster}`),
    );
    expect(g?.clustered).toEqual({
      ...expected,
      lower: Math.max(0, expected.lower),
      upper: Math.min(1, expected.upper),
    });
    expect(g?.clustered).toMatchObject({ clusters: 6, method: 'cluster-robust CR1, t(C−1)' });
    expect(g?.clustered?.designEffect).toBeGreaterThan(3);
    expect(g?.passRate?.method).toBe('wilson');
    expect(s.warnings.join('\n')).toMatch(/only 6 clusters; cluster-robust intervals are unreliable/);
    // no clusters → no clustered interval and no cluster warning
    const plain = summarizeResults(rows.map(({ cluster: _, ...r }) => r));
    expect(plain.groups[0]?.clustered).toBeNull();
    expect(plain.warnings.join('\n')).not.toMatch(/clusters/);
  });

  it('breaks pass rates down by category and warns about small n and 100% pass rates', () => {
    const s = summarizeResults([
      result('a', 'pass', { category: 'edge' }),
      result('b', 'pass', { category: 'edge' }),
      result('c', 'pass', { category: 'adversarial' }),
    ]);
    expect(s.groups[0]?.categories.map((c) => [c.category, c.passed, c.scored])).toEqual([
      ['adversarial', 1, 1],
      ['edge', 2, 2],
    ]);
    expect(s.warnings.join('\n')).toMatch(/only 3 scored results/);
    expect(s.warnings.join('\n')).toMatch(/failure rate could still be up to 63\.2%/); // 1 − 0.05^(1/3)
  });

  it('keeps prompt versions × models apart, and unknown prices visible', () => {
    const s = summarizeResults([
      result('a', 'pass'),
      result('a', 'fail', { modelId: 'openai-compatible:x', cost: null }),
    ]);
    expect(s.groups).toHaveLength(2);
    expect(s.groups[1]).toMatchObject({ modelId: 'openai-compatible:x', costUnknown: true, cost: 0 });
  });

  it('summarises numeric scores: Student-t over cases on 30+ cases, errors excluded', () => {
    const scores = Array.from({ length: 40 }, (_, i) => (i % 10) / 10 + 0.05); // 0.05 … 0.95
    const rows = [
      ...scores.map((score, i) => result(`c${i}`, score >= 0.5 ? 'pass' : 'fail', { score })),
      result('e1', 'error', { score: 0 }),
    ];
    const [g] = summarizeResults(rows, { seed: 3 }).groups;
    const t = tInterval(scores);
    expect(g?.score).toMatchObject({ method: 'student-t', n: 40, confidence: 0.95 });
    expect(g?.score?.mean).toBeCloseTo(0.5, 12);
    expect(g?.score?.sd).toBeCloseTo(t.sd, 12);
    expect(g?.score?.lower).toBeCloseTo(t.lower, 12);
    expect(g?.score?.upper).toBeCloseTo(t.upper, 12);
    expect(g?.score?.median).toBeCloseTo(0.5, 12);
    expect(g?.score?.seed).toBeUndefined();
    // JSON keeps it
    expect(JSON.parse(JSON.stringify(g)).score.method).toBe('student-t');
  });

  it('with n < 30 or repeats, bootstraps per-case mean scores with the run seed', () => {
    // 6 cases × 2 repeats; per-case means 0.2, 0.4, 0.6, 0.8, 0.5, 0.5
    const pairs = [
      [0.1, 0.3],
      [0.4, 0.4],
      [0.6, 0.6],
      [0.7, 0.9],
      [0, 1],
      [1, 0],
    ];
    const rows = pairs.flatMap(([a, b], c) =>
      [a, b].map((score, r) => result(`c${c}`, score === 1 ? 'pass' : 'fail', { repeat: r, score })),
    );
    const [g] = summarizeResults(rows, { seed: 7 }).groups;
    const means = [0.2, 0.4, 0.6, 0.8, 0.5, 0.5];
    const b = bootstrapInterval(means, { seed: 7 });
    expect(g?.score).toMatchObject({ method: 'bootstrap percentile', n: 6, seed: 7, resamples: 10_000 });
    expect(g?.score?.mean).toBeCloseTo(0.5, 12);
    expect(g?.score?.median).toBeCloseTo(0.5, 12);
    expect(g?.score?.lower).toBeCloseTo(b.lower, 12);
    expect(g?.score?.upper).toBeCloseTo(b.upper, 12);
  });

  it('gives a Wilson interval, not [x, x], when every case has the same mean score', () => {
    const rows = ['a', 'b', 'c', 'd'].map((id) => result(id, 'fail', { score: 0.5 }));
    const [g] = summarizeResults(rows).groups;
    const w = wilsonFromProportion(0.5, 4);
    expect(g?.score).toMatchObject({ method: 'wilson', n: 4, mean: 0.5, sd: 0 });
    expect(g?.score?.lower).toBeCloseTo(w.lower, 12);
    expect(g?.score?.upper).toBeCloseTo(w.upper, 12);
    // with repeats, every case passing once in two: pass@1 is Wilson over cases too
    const rep = ['a', 'b', 'c'].flatMap((id) => [
      result(id, 'pass', { repeat: 0 }),
      result(id, 'fail', { repeat: 1 }),
    ]);
    const [r] = summarizeResults(rep).groups;
    expect(r?.passRate).toMatchObject({ method: 'wilson over cases', estimate: 0.5, n: 3 });
    expect(r?.passRate?.lower).toBeCloseTo(wilsonFromProportion(0.5, 3).lower, 12);
    expect(r?.repeats?.variance.advice).toBe('more repeats');
  });

  it('has no score summary when every score is 0 or 1, and [0, 1] for a single case', () => {
    const binary = summarizeResults([result('a', 'pass', { score: 1 }), result('b', 'fail', { score: 0 })]);
    expect(binary.groups[0]?.score).toBeNull();
    const one = summarizeResults([result('a', 'fail', { score: 0.4 })]);
    expect(one.groups[0]?.score).toMatchObject({ mean: 0.4, median: 0.4, lower: 0, upper: 1, n: 1 });
    expect(one.groups[0]?.score?.sd).toBeNaN();
  });
});
