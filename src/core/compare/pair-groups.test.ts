import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../types.ts';
import { pairGroups } from './pair-groups.ts';

function rec(runId: string, prompt: string, modelId: string, caseId = 'c1'): ResultRecord {
  return {
    runId,
    prompt,
    promptVersion: `${prompt}-${runId}`,
    modelId,
    caseId,
    repeat: 0,
    status: 'pass',
    checks: [],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

const key = (rs: ResultRecord[]) => `${rs[0]?.prompt} × ${rs[0]?.modelId}`;

describe('pairGroups', () => {
  it('two single-group runs always pair, whatever their prompts and models', () => {
    const pairs = pairGroups([rec('A', 'p', 'fake:a')], [rec('B', 'q', 'fake:b')]);
    expect(pairs.map((p) => [key(p.baseline), key(p.candidate)])).toEqual([['p × fake:a', 'q × fake:b']]);
  });

  it('each candidate model pairs with the same model of the baseline', () => {
    const base = [rec('A', 'p', 'fake:a'), rec('A', 'p', 'fake:b')];
    const cand = [rec('B', 'p', 'fake:b'), rec('B', 'p', 'fake:a')];
    expect(pairGroups(base, cand).map((p) => [key(p.baseline), key(p.candidate)])).toEqual([
      ['p × fake:b', 'p × fake:b'],
      ['p × fake:a', 'p × fake:a'],
    ]);
  });

  it('same prompt and model first, then same model', () => {
    const base = [rec('A', 'p', 'fake:a'), rec('A', 'q', 'fake:a')];
    expect(pairGroups(base, [rec('B', 'q', 'fake:a')]).map((p) => key(p.baseline))).toEqual(['q × fake:a']);
  });

  it('ambiguous pairings and empty selections are usage errors (exit 2)', () => {
    const base = [rec('A', 'p', 'fake:a'), rec('A', 'q', 'fake:a')];
    expect(() => pairGroups(base, [rec('B', 'r', 'fake:a')])).toThrow(
      /cannot tell which group of the baseline run baseline to compare r × fake:a with .*--prompt/,
    );
    expect(
      pairGroups(base, [rec('B', 'r', 'fake:a'), rec('B', 'p', 'fake:a')], { prompt: 'p' }),
    ).toHaveLength(1);
    expect(() => pairGroups(base, [rec('B', 'p', 'fake:a')], { model: 'fake:z' })).toThrow(
      /baseline run baseline has no results for model 'fake:z'/,
    );
    try {
      pairGroups(base, [rec('B', 'r', 'fake:a')]);
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
    }
  });
});
