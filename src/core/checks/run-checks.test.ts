import { describe, expect, it } from 'vitest';
import type { CaseSpec, CheckContext, CheckOutput, CompiledCheck } from '../types.ts';
import { compileChecks } from './compile-checks.ts';
import { runChecks } from './run-checks.ts';

const output: CheckOutput = {
  text: 'Your refund is on its way',
  toolCalls: [],
  latencyMs: 10,
  usage: {},
  cost: 0,
};
const testCase: CaseSpec = { id: 'c1', vars: {}, checks: [], tags: [] };
const ctx = {} as CheckContext;

describe('runChecks', () => {
  it('returns one result per check, in order, with type, name and score', async () => {
    const checks = compileChecks(
      [
        { type: 'contains', value: 'refund', name: 'mentions refund' },
        { type: 'regex', pattern: '^\\d+$' },
        { type: 'levenshtein', value: 'Your refund is on its way!', max: 2 },
      ],
      { where: {} },
    );
    const results = await runChecks(checks, output, testCase, ctx);
    expect(results.map((r) => [r.type, r.name, r.pass])).toEqual([
      ['contains', 'mentions refund', true],
      ['regex', undefined, false],
      ['levenshtein', undefined, true],
    ]);
    expect(results[2]?.score).toBeCloseTo(1 - 1 / 26, 12);
    expect(results[0]).not.toHaveProperty('score');
  });

  it('turns a throwing check into a failed result carrying the error', async () => {
    const boom: CompiledCheck = () => {
      throw new Error('kaboom');
    };
    const rejects: CompiledCheck = async () => Promise.reject(new TypeError('async kaboom'));
    const results = await runChecks(
      [
        { type: 'custom', name: 'boom', run: boom },
        { type: 'custom', run: rejects },
        { type: 'is-json', run: () => ({ pass: true, reason: 'ok' }) },
      ],
      output,
      testCase,
      ctx,
    );
    expect(results[0]).toEqual({
      type: 'custom',
      name: 'boom',
      pass: false,
      reason: 'error: kaboom',
      error: 'kaboom',
    });
    expect(results[1]?.reason).toBe('error: async kaboom');
    expect(results[2]?.pass).toBe(true);
  });

  it('rejects malformed outcomes and derives pass from a score-only outcome', async () => {
    const results = await runChecks(
      [
        { type: 'x', run: () => ({ score: 1.5, reason: '' }) },
        { type: 'x', run: () => ({ reason: 'nothing' }) },
        { type: 'x', run: () => undefined as unknown as { reason: string } },
        { type: 'x', run: () => ({ score: 0.6, reason: 'fine' }) },
        { type: 'x', run: () => ({ score: 0.4, reason: 'meh' }) },
      ],
      output,
      testCase,
      ctx,
    );
    expect(results.map((r) => r.pass)).toEqual([false, false, false, true, false]);
    expect(results[0]?.reason).toBe('error: check returned score 1.5; expected a number from 0 to 1');
    expect(results[1]?.reason).toBe('error: check returned neither pass nor score');
    expect(results[2]?.error).toBeDefined();
    expect(results[3]?.score).toBe(0.6);
  });
});
