import { describe, expect, it } from 'vitest';
import { compile, outputOf, trajectory as t, verdict } from '../../../test/agents/trajectory-builder.ts';
import type { CompiledCheck } from '../types.ts';

describe('tool-called', () => {
  const run = t([
    ['lookup_order', { id: 'A1' }],
    ['refund', { id: 'A1', amount: 40 }, 'declined'],
    ['refund', { id: 'A1', amount: 40 }],
  ]);

  it('passes when the tool was called, fails when it was not', async () => {
    expect((await verdict({ type: 'tool-called', tool: 'lookup_order' }, run)).pass).toBe(true);
    const v = await verdict({ type: 'tool-called', tool: 'escalate' }, run);
    expect(v.pass).toBe(false);
    expect(v.reason).toContain(
      '0 calls to escalate (expected at least 1); calls: lookup_order → refund → refund',
    );
  });

  it('matches arguments: subset by default, exact, or a JSON Schema', async () => {
    expect((await verdict({ type: 'tool-called', tool: 'refund', args: { id: 'A1' } }, run)).pass).toBe(true);
    expect((await verdict({ type: 'tool-called', tool: 'refund', args: { id: 'B2' } }, run)).pass).toBe(
      false,
    );
    expect(
      (await verdict({ type: 'tool-called', tool: 'refund', args: { id: 'A1' }, match: 'exact' }, run)).pass,
    ).toBe(false);
    expect(
      (
        await verdict(
          { type: 'tool-called', tool: 'refund', args: { id: 'A1', amount: 40 }, match: 'exact' },
          run,
        )
      ).pass,
    ).toBe(true);
    const schema = {
      type: 'object',
      properties: { amount: { type: 'number', maximum: 30 } },
      required: ['amount'],
    };
    const s = await verdict({ type: 'tool-called', tool: 'refund', args: schema, match: 'schema' }, run);
    expect(s.pass).toBe(false);
    expect(s.reason).toContain('{"id":"A1","amount":40}');
  });

  it('counts calls against times (exact or min/max) and can count only successful calls', async () => {
    expect((await verdict({ type: 'tool-called', tool: 'refund', times: 2 }, run)).pass).toBe(true);
    expect((await verdict({ type: 'tool-called', tool: 'refund', times: { max: 1 } }, run)).pass).toBe(false);
    expect(
      (await verdict({ type: 'tool-called', tool: 'refund', times: { max: 1 }, succeeded: true }, run)).pass,
    ).toBe(true);
  });

  it('is a check error without a trajectory, and a config error on bad specs', async () => {
    await expect(verdict({ type: 'tool-called', tool: 'refund' }, undefined)).rejects.toThrow(
      /needs a trajectory/,
    );
    await expect(verdict({ type: 'tool-called' }, run)).rejects.toThrow(/tool: missing/);
    await expect(verdict({ type: 'tool-called', tool: 'x', times: { min: 3, max: 1 } }, run)).rejects.toThrow(
      /min 3 is above max 1/,
    );
    await expect(verdict({ type: 'tool-called', tool: 'x', match: 'exact' }, run)).rejects.toThrow(
      /'match' needs 'args'/,
    );
  });
});

describe('tool-called with match: custom', () => {
  it('asks a project function about each call', async () => {
    const run = t([
      ['refund', { id: 'A1', amount: 40 }],
      ['refund', { id: 'B2', amount: 900 }],
    ]);
    const underLimit: CompiledCheck = (args) => ({
      pass: (args as unknown as { amount: number }).amount < 500,
      reason: '',
    });
    const fns = new Map([['file:checks.ts#underLimit', underLimit]]);
    const spec = { type: 'tool-called', tool: 'refund', args: 'file:checks.ts#underLimit', match: 'custom' };
    const ctx = { prompt: {} as never, messages: [], modelId: 'fake:x' };
    const tc = { id: 'c', vars: {}, checks: [], tags: [] };
    expect(await compile({ ...spec, times: 1 }, fns)(outputOf(run), tc, ctx)).toMatchObject({ pass: true });
    expect(await compile({ ...spec, times: 2 }, fns)(outputOf(run), tc, ctx)).toMatchObject({ pass: false });
    expect(() => compile({ ...spec, args: 'checks.ts' }, fns)).toThrow(/invalid function reference/);
  });
});
