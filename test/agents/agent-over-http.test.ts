import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/core/types.ts';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

type Message = { role: string; content: unknown; tool_call_id?: string; tool_calls?: unknown[] };

let server: TestServer;
beforeAll(async () => {
  // A policy-following agent on the wire: look up, then refund, then answer — driven only by the tool
  // messages it gets back, so a lost tool turn or a mismatched call id breaks the loop.
  server = await startTestServer({
    respond: (body) => {
      const messages = body.messages as Message[];
      const last = messages.at(-1);
      if (last?.role !== 'tool')
        return { toolCalls: [{ id: 'srv_1', name: 'lookup_order', arguments: { order_id: 'A100' } }] };
      if (last.tool_call_id === 'srv_1') {
        const order = JSON.parse(String(last.content)) as { amount: number };
        return {
          toolCalls: [{ id: 'srv_2', name: 'refund', arguments: { order_id: 'A100', amount: order.amount } }],
        };
      }
      return 'Refunded $120 to your card.';
    },
  });
});
afterAll(async () => {
  await server?.close();
});

describe('an agent case against an OpenAI-compatible server (real HTTP)', () => {
  const p = scratchProject(false);
  afterAll(() => p.cleanup());

  it('sends tool calls and tool results by call id each step, and the case passes', async () => {
    cpSync(join(repoRoot, 'examples/agent'), p.dir, {
      recursive: true,
      filter: (s) => !s.includes('.assay'),
    });
    const r = await runCli([
      'eval',
      '-C',
      p.dir,
      '-p',
      'refund',
      '--category',
      'representative',
      '--model',
      'openai-compatible:test',
      '--base-url',
      server.url,
      '-o',
      'out.jsonl',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(server.requests).toBe(3);
    const third = server.bodies[2]?.messages as Message[];
    expect(third.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'tool']);
    expect(third[2]?.tool_calls).toEqual([
      { id: 'srv_1', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A100"}' } },
    ]);
    expect(third[3]).toMatchObject({ role: 'tool', tool_call_id: 'srv_1' });
    expect(third[5]).toMatchObject({ role: 'tool', tool_call_id: 'srv_2' });
    const [result] = readFileSync(join(p.dir, 'out.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as ResultRecord);
    expect(result?.status).toBe('pass');
    expect(result?.output).toBe('Refunded $120 to your card.');
    expect(result?.trajectory?.state).toEqual({
      refunds: [{ order_id: 'A100', amount: 120 }],
      escalations: [],
    });
  }, 60_000);
});
