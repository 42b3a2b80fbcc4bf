import { describe, expect, it } from 'vitest';
import { trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';
import { isSubsequence } from './tool-sequence-check.ts';

describe('tool-sequence', () => {
  const run = t([['lookup_order'], ['get_policy'], ['refund', {}, 'timeout'], ['refund']]);

  it('in-order: the tools appear in that order, other calls allowed between', async () => {
    expect((await verdict({ type: 'tool-sequence', tools: ['lookup_order', 'refund'] }, run)).pass).toBe(
      true,
    );
    const v = await verdict({ type: 'tool-sequence', tools: ['refund', 'lookup_order'] }, run);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe(
      'expected in order refund → lookup_order; calls: lookup_order → get_policy → refund → refund',
    );
  });

  it('exact: the calls are exactly the list', async () => {
    expect(
      (await verdict({ type: 'tool-sequence', tools: ['lookup_order', 'refund'], mode: 'exact' }, run)).pass,
    ).toBe(false);
    expect(
      (
        await verdict(
          {
            type: 'tool-sequence',
            tools: ['lookup_order', 'get_policy', 'refund'],
            mode: 'exact',
            succeeded: true,
          },
          run,
        )
      ).pass,
    ).toBe(true);
  });

  it('isSubsequence', () => {
    expect(isSubsequence(['a', 'b'], ['a', 'x', 'b'])).toBe(true);
    expect(isSubsequence(['a', 'a'], ['a'])).toBe(false);
    expect(isSubsequence([], [])).toBe(true);
  });
});
