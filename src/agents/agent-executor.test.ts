import { describe, expect, it } from 'vitest';
import { mergeAgentSpec } from '../core/suite/agent-spec-schema.ts';
import type { AgentSpec, CaseSpec, ChatMessage, PromptSpec, ToolCall } from '../core/types.ts';
import type { ExecutionResult, StepOutcome, StepRequest } from '../engine/item-executor.ts';
import { agentExecutor } from './agent-executor.ts';
import { bindEnvironment } from './tool-environment.ts';

const prompt: PromptSpec = {
  name: 'bot',
  file: 'bot.prompt.md',
  version: 'v1',
  canonical: '',
  settings: {},
  variables: {},
  messages: [],
  tools: [
    {
      name: 'lookup',
      parameters: {
        type: 'object',
        properties: { id: { type: 'string' } },
        required: ['id'],
        additionalProperties: false,
      },
    },
    { name: 'refund', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
  ],
};

type Reply = { text?: string; calls?: ToolCall[] } | { error: string };

/** Runs the executor with a scripted model: `script(messages, step)` answers each step. */
async function run(
  spec: AgentSpec,
  script: (messages: ChatMessage[], step: number) => Reply,
  testCase: Partial<CaseSpec> = {},
): Promise<{ result: ExecutionResult; requests: StepRequest[] }> {
  const requests: StepRequest[] = [];
  const step = async (request: StepRequest): Promise<StepOutcome> => {
    requests.push(request);
    const r = script(request.messages, requests.length - 1);
    if ('error' in r) return { kind: 'error', error: { kind: 'server', message: r.error }, attempts: 2 };
    return {
      kind: 'ok',
      answer: {
        text: r.text ?? '',
        toolCalls: r.calls ?? [],
        usage: { inputTokens: 10, outputTokens: 2 },
        latencyMs: 5,
      },
      cost: 0.01,
      callCost: 0.01,
      cached: false,
      attempts: 1,
    };
  };
  const result = await agentExecutor.run({
    item: {
      prompt,
      model: { id: 'fake:x' },
      testCase: { id: 'c', vars: {}, checks: [], tags: [], agent: spec, ...testCase },
      repeat: 0,
    },
    messages: [{ role: 'user', content: 'Refund order A1' }],
    step,
    services: { generate: () => Promise.reject(new Error('no')) },
    signal: new AbortController().signal,
  });
  return { result, requests };
}

const fixtures = (extra: Partial<AgentSpec> = {}): AgentSpec => ({
  maxSteps: 10,
  maxToolErrors: 3,
  fixtures: {
    lookup: [
      { args: { id: 'A1' }, result: { id: 'A1', total: 40 } },
      { args: { id: 'X' }, error: 'not found' },
    ],
    refund: [{ result: 'refunded' }],
  },
  ...extra,
});

const ok = (r: ExecutionResult) => {
  if (r.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r;
};

describe('agentExecutor', () => {
  it('handles only agent cases', () => {
    const item = { prompt, model: { id: 'fake:x' }, repeat: 0 };
    expect(agentExecutor.handles({ ...item, testCase: { id: 'a', vars: {}, checks: [], tags: [] } })).toBe(
      false,
    );
    expect(
      agentExecutor.handles({
        ...item,
        testCase: { id: 'a', vars: {}, checks: [], tags: [], agent: fixtures() },
      }),
    ).toBe(true);
  });

  it('runs tool calls, feeds results back and ends at the final answer with summed usage and cost', async () => {
    const { result, requests } = await run(fixtures(), (_m, step) =>
      step === 0
        ? { calls: [{ id: 't1', name: 'lookup', arguments: { id: 'A1' } }] }
        : step === 1
          ? { calls: [{ name: 'refund', arguments: { id: 'A1' } }] }
          : { text: 'Done: refunded.' },
    );
    const r = ok(result);
    expect(r.answer.text).toBe('Done: refunded.');
    expect(r.answer.usage).toEqual({ inputTokens: 30, outputTokens: 6 });
    expect(r.cost).toBeCloseTo(0.03, 10);
    expect(r.attempts).toBe(3);
    expect(r.trajectory.termination).toBe('final-answer');
    expect(r.trajectory.steps.map((s) => `${s.type}:${s.name ?? ''}`)).toEqual([
      'llm:',
      'tool:lookup',
      'llm:',
      'tool:refund',
      'llm:',
    ]);
    expect(r.trajectory.steps[1]?.text).toBe('{"id":"A1","total":40}');
    // The second request carries the assistant's call and the tool's answer to it (by id).
    expect(requests[1]?.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 't1', name: 'lookup', arguments: { id: 'A1' } }] },
      { role: 'tool', content: '{"id":"A1","total":40}', toolCallId: 't1', name: 'lookup' },
    ]);
    // A call without an id gets one, and its tool message answers it.
    const third = requests[2]?.messages ?? [];
    expect(third.at(-1)).toMatchObject({ role: 'tool', toolCallId: 'call_2_0', content: 'refunded' });
    expect(r.trajectory.messages.at(-1)).toEqual({ role: 'assistant', content: 'Done: refunded.' });
  });

  it('gives repeated or missing call ids fresh ones, so each tool message answers exactly one call', async () => {
    const { result } = await run(fixtures(), (_m, step) =>
      step === 0
        ? {
            calls: [
              { id: 'x', name: 'refund', arguments: { id: 'A1' } },
              { id: 'x', name: 'refund', arguments: { id: 'B2' } },
            ],
          }
        : step === 1
          ? { calls: [{ id: 'x', name: 'refund', arguments: { id: 'C3' } }] }
          : { text: 'done' },
    );
    const ids = ok(result)
      .trajectory.steps.filter((s) => s.type === 'tool')
      .map((s) => s.callId);
    expect(ids).toEqual(['x', 'call_1_1', 'call_2_0']);
  });

  it('tells the model about invalid arguments, unknown tools and scripted errors, and counts them', async () => {
    const { result, requests } = await run(
      fixtures({ maxToolErrors: 5 }),
      (_m, step) =>
        [
          { calls: [{ name: 'lookup', arguments: { order: 'A1' } }] },
          { calls: [{ name: 'delete_all', arguments: {} }] },
          { calls: [{ name: 'lookup', arguments: { id: 'X' } }] },
          { calls: [{ name: 'lookup', arguments: '{"id": ' }] },
          { text: 'Sorry.' },
        ][step] as Reply,
    );
    const r = ok(result);
    const errors = r.trajectory.steps.filter((s) => s.type === 'tool').map((s) => s.error);
    expect(errors[0]).toMatch(/invalid arguments for lookup: .*id/);
    expect(errors[1]).toMatch(/unknown tool 'delete_all'; the tools are: lookup, refund/);
    expect(errors[2]).toBe('not found');
    expect(errors[3]).toBe('the arguments of lookup are not valid JSON');
    expect(requests[3]?.messages.at(-1)?.content).toBe('Error: not found');
    expect(r.trajectory.termination).toBe('final-answer');
  });

  it('stops at maxToolErrors, maxSteps and on a loop', async () => {
    const failing = await run(fixtures({ maxToolErrors: 2 }), () => ({
      calls: [{ name: 'lookup', arguments: { id: 'X' } }],
    }));
    expect(ok(failing.result).trajectory.termination).toBe('max-errors');
    expect(failing.requests).toHaveLength(2);

    let n = 0;
    const busy = await run(fixtures({ maxSteps: 4 }), () => ({
      calls: [{ name: 'refund', arguments: { id: `A${n++}` } }],
    }));
    const b = ok(busy.result);
    expect(b.trajectory.termination).toBe('max-steps');
    expect(busy.requests).toHaveLength(4);
    expect(b.trajectory.steps.filter((s) => s.type === 'llm')).toHaveLength(4);

    const loop = await run(fixtures(), () => ({ calls: [{ name: 'lookup', arguments: { id: 'A1' } }] }));
    const l = ok(loop.result);
    expect(l.trajectory.termination).toBe('loop');
    expect(loop.requests).toHaveLength(3);
    expect(l.trajectory.steps.filter((s) => s.type === 'tool' && s.error === undefined)).toHaveLength(2);
    expect(l.trajectory.steps.at(-1)?.error).toMatch(/loop/);
  });

  it('fails the first N calls of a tool with failFirst, then answers', async () => {
    const spec = mergeAgentSpec(
      { fixtures: { lookup: [{ default: 'found' }] }, failFirst: { lookup: 1 } },
      undefined,
    );
    const { result } = await run(spec as AgentSpec, (m) =>
      m.at(-1)?.content === 'found'
        ? { text: 'ok' }
        : { calls: [{ name: 'lookup', arguments: { id: 'A1' } }] },
    );
    const tools = ok(result).trajectory.steps.filter((s) => s.type === 'tool');
    expect(tools.map((s) => s.error ?? s.text)).toEqual(['temporarily unavailable, try again', 'found']);
  });

  it('uses a TypeScript environment with state, fresh per run; thrown errors are tool errors', async () => {
    const spec: AgentSpec = { maxSteps: 10, maxToolErrors: 3, environment: 'file:env.ts#make' };
    bindEnvironment(spec, (testCase) => {
      const refunded: string[] = [];
      return {
        tools: {
          lookup: () => ({ owner: testCase.vars.who }),
          refund: (args) => {
            const id = (args as { id: string }).id;
            if (refunded.includes(id)) throw new Error('already refunded');
            refunded.push(id);
            return 'ok';
          },
        },
        state: () => ({ refunded }),
      };
    });
    const script = (_m: ChatMessage[], step: number): Reply =>
      step < 2 ? { calls: [{ name: 'refund', arguments: { id: 'A1' } }] } : { text: 'done' };
    const first = ok((await run(spec, script, { vars: { who: 'ann' } })).result);
    expect(first.trajectory.state).toEqual({ refunded: ['A1'] });
    expect(first.trajectory.steps.filter((s) => s.type === 'tool').map((s) => s.error)).toEqual([
      undefined,
      'already refunded',
    ]);
    const again = ok((await run(spec, script)).result);
    expect(again.trajectory.state).toEqual({ refunded: ['A1'] });
  });

  it('a failed model step is an error result with the partial trajectory and the cost so far', async () => {
    const { result } = await run(fixtures(), (_m, step) =>
      step === 0 ? { calls: [{ name: 'lookup', arguments: { id: 'A1' } }] } : { error: 'HTTP 500' },
    );
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.error.message).toBe('HTTP 500');
    expect(result.attempts).toBe(3);
    expect(result.cost).toBeCloseTo(0.01, 10);
    expect(result.trajectory?.termination).toBe('error');
    expect(result.trajectory?.steps.map((s) => s.type)).toEqual(['llm', 'tool', 'llm']);
    expect(result.trajectory?.steps.at(-1)?.error).toBe('HTTP 500');
  });

  it('an environment that was not loaded or returns garbage is an error result', async () => {
    const spec: AgentSpec = { maxSteps: 3, maxToolErrors: 3, environment: 'file:env.ts#none' };
    const r = (await run(spec, () => ({ text: 'x' }))).result;
    expect(r.kind === 'error' && r.error.message).toMatch(/was not loaded/);
    const bad: AgentSpec = { ...spec };
    bindEnvironment(bad, () => 42 as never);
    const g = (await run(bad, () => ({ text: 'x' }))).result;
    expect(g.kind === 'error' && g.error.message).toMatch(/must return \{ tools/);
  });
});
