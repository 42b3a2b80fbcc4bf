import { describe, expect, it } from 'vitest';
import { compile, outputOf, trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';
import type { CompiledCheck } from '../types.ts';

describe('end-state', () => {
  const state = { orders: { A1: { refunded: true, amount: 40 }, B2: { refunded: false } }, escalations: [] };
  const run = t([['refund']], { state });

  it('expect: the state contains the given subset', async () => {
    expect(
      (await verdict({ type: 'end-state', expect: { orders: { A1: { refunded: true } } } }, run)).pass,
    ).toBe(true);
    const v = await verdict(
      { type: 'end-state', expect: { orders: { B2: { refunded: true } }, escalations: [] } },
      run,
    );
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('end state differs: $.orders.B2.refunded: expected true, got false');
    expect((await verdict({ type: 'end-state', expect: { refunds: 1 } }, run)).reason).toContain(
      '$.refunds: missing',
    );
  });

  it('fn: a project function judges the state', async () => {
    const fn: CompiledCheck = (s) => ({
      pass: (s as unknown as typeof state).orders.A1.refunded,
      reason: 'A1 refunded',
    });
    const check = compile(
      { type: 'end-state', fn: 'file:checks.ts#refunded' },
      new Map([['file:checks.ts#refunded', fn]]),
    );
    const ctx = { prompt: {} as never, messages: [], modelId: 'fake:x' };
    const tc = { id: 'c', vars: {}, checks: [], tags: [] };
    expect(await check(outputOf(run), tc, ctx)).toMatchObject({ pass: true, reason: 'A1 refunded' });
    const bad = t([['refund']], { state: { orders: { A1: { refunded: false } } } });
    expect(await check(outputOf(bad), tc, ctx)).toMatchObject({ pass: false });
  });

  it('errors without state; needs exactly one of expect and fn', async () => {
    await expect(verdict({ type: 'end-state', expect: {} }, t([['refund']]))).rejects.toThrow(
      /environment's state/,
    );
    await expect(verdict({ type: 'end-state' }, run)).rejects.toThrow(/exactly one of 'expect' and 'fn'/);
  });
});
