import { describe, expect, it } from 'vitest';
import { trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';

describe('recovers-from-tool-error', () => {
  const check = { type: 'recovers-from-tool-error' };

  it('passes when the failed tool is later retried successfully and the run ends with an answer', async () => {
    const v = await verdict(
      check,
      t([
        ['lookup', { id: 1 }, 'timeout'],
        ['lookup', { id: 1 }],
      ]),
    );
    expect(v.pass).toBe(true);
    expect(v.reason).toBe('recovered from errors of lookup; calls: lookup → lookup');
  });

  it('fails when no error happened, when the run did not end with an answer, or without a later success', async () => {
    expect((await verdict(check, t([['lookup']]))).reason).toMatch(/no tool error happened/);
    expect(
      (await verdict(check, t([['lookup', {}, 'x'], ['lookup']], { termination: 'max-steps' }))).pass,
    ).toBe(false);
    const v = await verdict(check, t([['lookup', {}, 'x'], ['lookup'], ['refund', {}, 'y'], ['escalate']]));
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^no successful refund after its last error/);
  });

  it('an alternative tool counts only when listed; tool: narrows which errors count', async () => {
    const run = t([['refund', {}, 'declined'], ['escalate']]);
    expect((await verdict(check, run)).pass).toBe(false);
    expect((await verdict({ ...check, alternatives: ['escalate'] }, run)).pass).toBe(true);
    expect((await verdict({ ...check, tool: 'lookup' }, run)).reason).toMatch(
      /no lookup tool error happened/,
    );
  });
});
