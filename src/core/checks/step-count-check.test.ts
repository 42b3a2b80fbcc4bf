import { describe, expect, it } from 'vitest';
import { trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';

describe('step-count', () => {
  const run = t([['a'], ['b'], ['c']]); // 4 model calls, 3 tool calls

  it('bounds model calls by default, tool calls with of: tool', async () => {
    expect((await verdict({ type: 'step-count', max: 4 }, run)).pass).toBe(true);
    const v = await verdict({ type: 'step-count', max: 3 }, run);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('4 model calls (expected at most 3)');
    expect((await verdict({ type: 'step-count', of: 'tool', min: 3, max: 3 }, run)).pass).toBe(true);
    expect((await verdict({ type: 'step-count', of: 'tool', min: 4 }, run)).pass).toBe(false);
  });

  it('needs min or max', async () => {
    await expect(verdict({ type: 'step-count' }, run)).rejects.toThrow(/needs 'min' and\/or 'max'/);
  });
});
