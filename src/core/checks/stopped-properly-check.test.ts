import { describe, expect, it } from 'vitest';
import { trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';

describe('stopped-properly', () => {
  it('passes on a final answer, fails on max-steps, max-errors, loops and an empty answer', async () => {
    expect((await verdict({ type: 'stopped-properly' }, t([['a']]))).pass).toBe(true);
    for (const termination of ['max-steps', 'max-errors', 'loop'] as const) {
      const v = await verdict({ type: 'stopped-properly' }, t([['a'], ['a']], { termination }));
      expect(v.pass).toBe(false);
      expect(v.reason).toBe(`ended by ${termination} after 2 model calls, not a final answer`);
    }
    expect((await verdict({ type: 'stopped-properly' }, t([['a']]), '  ')).reason).toBe(
      'the final answer is empty',
    );
  });

  it('with goal: fails when a tool is called after the goal tool succeeded', async () => {
    const goal = { type: 'stopped-properly', goal: 'refund' };
    expect((await verdict(goal, t([['lookup'], ['refund', {}, 'timeout'], ['refund']]))).pass).toBe(true);
    const v = await verdict(goal, t([['lookup'], ['refund'], ['refund']]));
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('called refund after the goal (refund succeeded)');
  });
});
