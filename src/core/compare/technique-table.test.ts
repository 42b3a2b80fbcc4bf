import { describe, expect, it } from 'vitest';
import { newcombePairedDifference } from '../stats/newcombe.ts';
import { summarizeResults } from '../stats/summarize-results.ts';
import { wilsonInterval } from '../stats/wilson.ts';
import type { ResultRecord, ResultStatus } from '../types.ts';
import { techniquePrompts, techniqueTables } from './technique-table.ts';

interface Spec {
  prompt: string;
  /** Status per case c1…c11. */
  statuses: ResultStatus[];
  cost: number;
  latencyMs: number;
  usage: { inputTokens: number; outputTokens: number };
}

function results(spec: Spec): ResultRecord[] {
  return spec.statuses.map((status, i) => ({
    runId: 'run1',
    prompt: spec.prompt,
    promptVersion: `v-${spec.prompt}`,
    modelId: 'fake:m',
    caseId: `c${i + 1}`,
    repeat: 0,
    status,
    checks: [],
    usage: status === 'error' ? {} : spec.usage,
    latencyMs: spec.latencyMs + i,
    cost: status === 'error' ? 0 : spec.cost,
    attempts: 1,
    cached: false,
    createdAt: '2026-01-01T00:00:00Z',
  }));
}

const P: ResultStatus = 'pass';
const F: ResultStatus = 'fail';
const E: ResultStatus = 'error';

// 11 cases. Zero-shot passes c1–c4. Few-shot passes c1–c6. CoT passes c2–c10 and errored on c11.
const zero = results({
  prompt: 'qa',
  statuses: [P, P, P, P, F, F, F, F, F, F, F],
  cost: 0.001,
  latencyMs: 100,
  usage: { inputTokens: 100, outputTokens: 10 },
});
const few = results({
  prompt: 'qa~few-shot-3',
  statuses: [P, P, P, P, P, P, F, F, F, F, F],
  cost: 0.003,
  latencyMs: 200,
  usage: { inputTokens: 300, outputTokens: 10 },
});
const cot = results({
  prompt: 'qa~cot',
  statuses: [F, P, P, P, P, P, P, P, P, P, E],
  cost: 0.002,
  latencyMs: 900,
  usage: { inputTokens: 120, outputTokens: 80 },
});
const other = results({
  prompt: 'unrelated',
  statuses: [P, P, P, P, P, P, P, P, P, P, P],
  cost: 0,
  latencyMs: 1,
  usage: { inputTokens: 1, outputTokens: 1 },
});
const all = [...cot, ...other, ...few, ...zero];

describe('techniqueTables', () => {
  const groups = summarizeResults(all).groups;
  const [table] = techniqueTables(groups, all);

  it('one table per base prompt × model; baseline first, then few-shot, then CoT', () => {
    expect(techniqueTables(groups, all)).toHaveLength(1);
    expect(table?.prompt).toBe('qa');
    expect(table?.modelId).toBe('fake:m');
    expect(table?.baseline).toBe('qa');
    expect(table?.rows.map((r) => [r.technique, r.prompt, r.baseline])).toEqual([
      ['zero-shot', 'qa', true],
      ['few-shot-3', 'qa~few-shot-3', false],
      ['cot', 'qa~cot', false],
    ]);
    expect(table?.rows[0]?.vsBaseline).toBeUndefined();
  });

  it('quality [CI], cost, latency and tokens per technique (errors apart)', () => {
    const [z, f, c] = table?.rows ?? [];
    const w = wilsonInterval(4, 11);
    expect(z?.passRate).toMatchObject({ estimate: 4 / 11, lower: w.lower, upper: w.upper, method: 'wilson' });
    expect(c?.passRate?.estimate).toBeCloseTo(9 / 10, 12);
    expect([c?.passed, c?.scored, c?.errors, c?.cases]).toEqual([9, 10, 1, 11]);
    expect(z?.costPerCase).toBeCloseTo(0.001, 12);
    expect(f?.costPerCase).toBeCloseTo(0.003, 12);
    // The errored call cost nothing; the case still counts.
    expect(c?.costPerCase).toBeCloseTo((10 * 0.002) / 11, 12);
    // Nearest-rank p50 (as the eval summary): 6th of 100…110, 5th of 900…909 (errors have no latency).
    expect(z?.latencyP50).toBe(105);
    expect(c?.latencyP50).toBe(904);
    expect(f?.tokensPerCase).toEqual({ input: 300, output: 10 });
    expect(c?.tokensPerCase?.input).toBeCloseTo((10 * 120) / 11, 12);
  });

  it('paired difference vs zero-shot: Newcombe interval, exact McNemar p, Holm over the variants', () => {
    const f = table?.rows[1]?.vsBaseline;
    const c = table?.rows[2]?.vsBaseline;
    // Few-shot vs zero-shot on 11 paired cases: a=4 both pass, b=0, c=2, d=5.
    expect(f?.table).toEqual({ bothPass: 4, baselineOnly: 0, candidateOnly: 2, bothFail: 5 });
    expect(f?.difference.estimate).toBeCloseTo(2 / 11, 12);
    const nf = newcombePairedDifference(4, 0, 2, 5, 0.95);
    expect([f?.difference.lower, f?.difference.upper]).toEqual([nf.lower, nf.upper]);
    // Exact McNemar: 2 · P(X ≤ 0 | 2, ½) = 0.5.
    expect(f?.p).toBeCloseTo(0.5, 12);
    // CoT: c11 errored, dropped from the pairing: a=3, b=1 (c1), c=6 (c5–c10), d=0.
    expect(c?.paired).toBe(10);
    expect(c?.table).toEqual({ bothPass: 3, baselineOnly: 1, candidateOnly: 6, bothFail: 0 });
    expect(c?.difference.estimate).toBeCloseTo(5 / 10, 12);
    const nc = newcombePairedDifference(3, 1, 6, 0, 0.95);
    expect([c?.difference.lower, c?.difference.upper]).toEqual([nc.lower, nc.upper]);
    // 2 · P(X ≤ 1 | 7, ½) = 2 · 8/128 = 0.125.
    expect(c?.p).toBeCloseTo(0.125, 12);
    expect(c?.test).toBe('exact McNemar');
    // Holm, m = 2: 0.125 · 2 = 0.25; then max(0.25, 0.5 · 1) = 0.5.
    expect(c?.pAdjusted).toBeCloseTo(0.25, 12);
    expect(f?.pAdjusted).toBeCloseTo(0.5, 12);
    expect(table?.family).toBe(2);
    expect(c?.verdict).toBe('no detectable difference');
    expect(table?.warnings.some((w) => w.includes('Holm'))).toBe(true);
  });

  it('a base prompt with its own examples is "as written"; NAME~zero-shot is the baseline', () => {
    const renamed = [
      ...zero.map((r) => ({ ...r, prompt: 'qa~zero-shot', promptVersion: 'v-zs' })),
      ...few.map((r) => ({ ...r, prompt: 'qa', promptVersion: 'v-qa' })),
    ];
    const [t] = techniqueTables(summarizeResults(renamed).groups, renamed);
    expect(t?.baseline).toBe('qa~zero-shot');
    expect(t?.rows.map((r) => r.technique)).toEqual(['zero-shot', 'as written']);
    expect(t?.rows[1]?.vsBaseline?.pAdjusted).toBeCloseTo(0.5, 12);
    expect(t?.family).toBe(1);
  });

  it('no table without variants; per model when several', () => {
    expect(techniqueTables(summarizeResults(other).groups, other)).toEqual([]);
    const two = [
      ...all,
      ...zero.map((r) => ({ ...r, modelId: 'fake:n' })),
      ...cot.map((r) => ({ ...r, modelId: 'fake:n' })),
    ];
    const tables = techniqueTables(summarizeResults(two).groups, two);
    expect(tables.map((t) => [t.modelId, t.rows.length])).toEqual([
      ['fake:m', 3],
      ['fake:n', 2],
    ]);
  });

  it('without the baseline in the run: rows without Δ, and a warning saying how to get it', () => {
    const only = [...cot];
    const [t] = techniqueTables(summarizeResults(only).groups, only);
    expect(t?.baseline).toBe('');
    expect(t?.rows.map((r) => [r.technique, r.vsBaseline])).toEqual([['cot', undefined]]);
    expect(t?.warnings[0]).toContain('no zero-shot results in this run');
  });

  it('with repeats that disagree within a case: the paired bootstrap and sign-flip test, seeded', () => {
    const twice = (rs: ResultRecord[], flip: string) => [
      ...rs,
      ...rs.map((r) => ({ ...r, repeat: 1, status: r.caseId === flip ? ('fail' as const) : r.status })),
    ];
    const rs = [...twice(zero, 'none'), ...twice(few, 'c5')];
    const [t] = techniqueTables(summarizeResults(rs, { seed: 3 }).groups, rs, { seed: 3 });
    const v = t?.rows[1]?.vsBaseline;
    expect(v?.table).toBeNull();
    expect(v?.test).toBe('sign-flip permutation (exact)');
    expect(v?.difference.method).toBe('paired bootstrap percentile (10000 resamples, seed 3)');
    // Per-case differences: c5 +0.5, c6 +1 → mean 1.5 / 11.
    expect(v?.difference.estimate).toBeCloseTo(1.5 / 11, 12);
    // Exact sign-flip over the 2 non-zero differences: all 4 sign patterns, 1 as extreme each side → 2/4.
    expect(v?.p).toBeCloseTo(0.5, 12);
    expect(t?.family).toBe(1);
    expect(v?.pAdjusted).toBe(v?.p);
  });

  it('techniquePrompts: the variants and their bases only', () => {
    expect([...techniquePrompts(['qa', 'qa~cot', 'other', 'x~few-shot-1'])].sort()).toEqual([
      'qa',
      'qa~cot',
      'x~few-shot-1',
    ]);
  });
});
