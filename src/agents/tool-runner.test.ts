import { describe, expect, it } from 'vitest';
import type { AgentSpec } from '../core/types.ts';
import { bindEnvironment } from './tool-environment.ts';
import { isArgsSubset, matchFixture, ToolRunner } from './tool-runner.ts';

describe('matchFixture', () => {
  const table = [
    { args: { id: 'A1' }, result: 'subset' },
    { args: { id: 'B2', n: 1 }, match: 'exact' as const, result: 'exact' },
    { result: 'fallback' },
  ];

  it('tries entries in order: subset by default, exact when asked, an entry without args matches all', () => {
    expect(matchFixture(table, { id: 'A1', extra: true })?.result).toBe('subset');
    expect(matchFixture(table, { id: 'B2', n: 1 })?.result).toBe('exact');
    expect(matchFixture(table, { id: 'B2', n: 1, extra: 2 })?.result).toBe('fallback');
    expect(matchFixture(table.slice(0, 2), { id: 'C3' })).toBeUndefined();
  });

  it('isArgsSubset compares values deeply', () => {
    expect(isArgsSubset({ a: { b: [1, 2] } }, { a: { b: [1, 2] }, c: 1 })).toBe(true);
    expect(isArgsSubset({ a: { b: [1] } }, { a: { b: [1, 2] } })).toBe(false);
    expect(isArgsSubset({ a: 1 }, 'a')).toBe(false);
  });
});

describe('ToolRunner', () => {
  const tools = [{ name: 'f', parameters: { type: 'object' } }];

  it('turns results into text and unserializable results into tool errors', async () => {
    const spec: AgentSpec = { maxSteps: 2, maxToolErrors: 2, environment: 'file:e.ts#e' };
    bindEnvironment(spec, () => ({ tools: { f: (a) => ((a as { big?: boolean }).big ? 10n : { ok: 1 }) } }));
    const r = await ToolRunner.create(spec, tools, { id: 'c', vars: {}, checks: [], tags: [] });
    expect(await r.run('f', {})).toEqual({ ok: true, content: '{"ok":1}' });
    const bad = await r.run('f', { big: true });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/not JSON-serializable/);
    expect(r.state()).toBeUndefined();
  });

  it('a declared tool without an implementation is a tool error naming it', async () => {
    const r = await ToolRunner.create({ maxSteps: 1, maxToolErrors: 1 }, tools, {
      id: 'c',
      vars: {},
      checks: [],
      tags: [],
    });
    expect(await r.run('f', {})).toEqual({
      ok: false,
      error: "tool 'f' is not available in this environment",
      content: "Error: tool 'f' is not available in this environment",
    });
  });
});
