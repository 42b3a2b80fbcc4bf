import { describe, expect, it } from 'vitest';
import type { ResultRecord, ResultStatus } from '../types.ts';
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

  it('with repeats, averages per case and gives the interval one observation per case', () => {
    // 4 cases × 5 repeats: per-case pass rates 1, 1, 0.6, 0 → pass@1 = 0.65 over n = 4 cases, not 20 results.
    const rows: ResultRecord[] = [];
    const passes = [5, 5, 3, 0];
    passes.forEach((k, c) => {
      for (let r = 0; r < 5; r++) rows.push(result(`c${c}`, r < k ? 'pass' : 'fail', { repeat: r }));
    });
    const [g] = summarizeResults(rows).groups;
    expect(g).toMatchObject({ scored: 20, passed: 13, cases: 4 });
    const w = wilsonFromProportion(0.65, 4);
    expect(g?.passRate).toEqual({
      estimate: 0.65,
      lower: w.lower,
      upper: w.upper,
      method: 'wilson-cases',
      confidence: 0.95,
      n: 4,
    });
    // treating the 20 results as independent would give a much narrower (wrong) interval
    const naive = wilsonInterval(13, 20);
    const rate = g?.passRate;
    expect((rate?.upper ?? 0) - (rate?.lower ?? 0)).toBeGreaterThan(naive.upper - naive.lower);
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
});
