import { describe, expect, it } from 'vitest';
import { trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';

describe('tool-not-called', () => {
  const run = t([
    ['lookup_order', { id: 'A1' }],
    ['refund', { id: 'A1' }, 'declined'],
  ]);

  it('fails when a forbidden tool was called (even if it errored), passes otherwise', async () => {
    const v = await verdict({ type: 'tool-not-called', tool: 'refund' }, run);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('called refund({"id":"A1"})');
    expect((await verdict({ type: 'tool-not-called', tool: ['escalate', 'delete'] }, run)).pass).toBe(true);
    expect((await verdict({ type: 'tool-not-called', tool: 'refund', succeeded: true }, run)).pass).toBe(
      true,
    );
  });

  it('with args only forbids matching calls', async () => {
    expect((await verdict({ type: 'tool-not-called', tool: 'refund', args: { id: 'B2' } }, run)).pass).toBe(
      true,
    );
    expect((await verdict({ type: 'tool-not-called', tool: 'refund', args: { id: 'A1' } }, run)).pass).toBe(
      false,
    );
  });
});
