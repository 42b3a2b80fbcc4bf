import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../core/config/project.ts';
import { plantSecret } from '../test-helpers/scan-for-secret.ts';
import { startTestServer, type TestServer } from '../test-helpers/test-server.ts';
import { ModelCallError, type ModelPort, type ModelRequest } from './model-port.ts';
import { createModelRegistry } from './model-registry.ts';

let server: TestServer;
const secret = plantSecret();
const env = { OPENAI_API_KEY: secret, TEAM_TOKEN: 'team-token-value-1234', ACME_KEY: secret };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.setRespond(undefined);
});

function port(config: Partial<ModelConfig> & { id: string }): ModelPort {
  return createModelRegistry([{ baseUrl: server.url, ...config }], { root: '/', env }).resolve(config.id);
}

const compat = () => port({ id: 'openai-compatible:test', apiKeyEnv: 'ACME_KEY' });
const openai = () => port({ id: 'openai:gpt-4o-mini' });
/** The direct adapter must behave the same over HTTP, so it runs the same tests. */
const direct = () => port({ id: 'openai-compatible:direct', apiKeyEnv: 'ACME_KEY', adapter: 'direct' });

function req(text: string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: text },
    ],
    settings: {},
    ...extra,
  };
}

async function failure(p: Promise<unknown>): Promise<ModelCallError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ModelCallError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe.each([
  ['openai-compatible', compat],
  ['openai (chat completions)', openai],
  ['openai-compatible, adapter: direct', direct],
])('adapter over HTTP: %s', (_label, make) => {
  it('answers with text, usage, latency, finish reason and response model', async () => {
    const m = make();
    const r = await m.generate(req('hello world'));
    expect(r.text).toBe('hello world');
    expect(r.toolCalls).toEqual([]);
    expect(r.usage).toEqual({ inputTokens: 5, outputTokens: 3, totalTokens: 8 }); // ⌈20/4⌉, ⌈11/4⌉
    expect(r.finishReason).toBe('stop');
    expect(r.responseModel).toBe(m.modelName);
    expect(r.latencyMs).toBeGreaterThan(0);
    expect(server.lastBody?.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hello world' },
    ]);
    expect(server.requests).toBe(1);
  });

  it('sends the key from the environment variable as a Bearer token', async () => {
    await make().generate(req('x'));
    expect(server.lastHeaders?.authorization).toBe(`Bearer ${secret}`);
  });

  it('maps settings to the request body', async () => {
    await make().generate(
      req('x', { settings: { temperature: 0.2, maxTokens: 50, topP: 0.9, stop: ['END'], seed: 7 } }),
    );
    expect(server.lastBody).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      max_tokens: 50,
    });
  });

  it('records tool calls with parsed arguments and does not run them', async () => {
    server.setRespond(() => ({
      toolCalls: [
        { id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'c2', name: 'get_weather', arguments: '{"city": broken' },
      ],
    }));
    const r = await make().generate(
      req('weather?', {
        tools: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
      }),
    );
    expect(r.toolCalls).toEqual([
      { id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'c2', name: 'get_weather', arguments: '{"city": broken' },
    ]);
    expect(r.finishReason).toBe('tool-calls');
    expect(server.requests).toBe(1);
    const sent = server.lastBody as unknown as {
      tools: { function: { name: string; parameters: unknown } }[];
      tool_choice: unknown;
    };
    expect(sent.tools[0]?.function.name).toBe('get_weather');
    expect(sent.tools[0]?.function.parameters).toMatchObject({ properties: { city: { type: 'string' } } });
    expect(sent.tool_choice).toBe('auto');
  });

  it('sends an agent transcript: assistant tool calls (JSON-string arguments) and tool results by call id', async () => {
    const tools = [
      { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'string' } } } },
    ];
    await make().generate({
      messages: [
        { role: 'user', content: 'Refund A1' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'lookup', arguments: { id: 'A1' } }],
        },
        { role: 'tool', content: '{"total":5}', toolCallId: 'c1', name: 'lookup' },
      ],
      settings: {},
      tools,
    });
    const sent = server.lastBody?.messages as Record<string, unknown>[];
    expect(sent[1]).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"id":"A1"}' } }],
    });
    expect(sent[1]?.content || null).toBe(null);
    expect(sent[2]).toEqual({ role: 'tool', tool_call_id: 'c1', content: '{"total":5}' });
  });

  it('sends outputSchema as a non-strict json_schema response format and returns the raw text', async () => {
    server.setRespond(() => 'not json at all');
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const r = await make().generate(req('x', { outputSchema: schema }));
    expect(r.text).toBe('not json at all');
    expect(server.lastBody?.response_format).toEqual({
      type: 'json_schema',
      json_schema: { schema, strict: false, name: 'response' },
    });
  });
});

describe.each([
  ['ai-sdk', compat],
  ['direct', direct],
] as const)('error mapping over HTTP (%s)', (adapter, compat) => {
  it('429 with Retry-After seconds → rate-limit, retryable, retryAfterMs', async () => {
    server.queueFaults([{ status: 429, retryAfter: 3 }]);
    const e = await failure(compat().generate(req('x')));
    expect(e).toMatchObject({ kind: 'rate-limit', retryable: true, status: 429, retryAfterMs: 3000 });
  });

  it('429 with Retry-After as an HTTP date', async () => {
    server.queueFaults([{ status: 429, retryAfter: 'date', dateSeconds: 10 }]);
    const e = await failure(compat().generate(req('x')));
    expect(e.kind).toBe('rate-limit');
    expect(e.retryAfterMs).toBeGreaterThan(8000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(10_000);
  });

  it('429 with retry-after-ms', async () => {
    server.queueFaults([{ status: 429, retryAfterMs: 1500 }]);
    expect((await failure(compat().generate(req('x')))).retryAfterMs).toBe(1500);
  });

  it.each([500, 502, 503])('%i → server, retryable', async (status) => {
    server.queueFaults([{ status }]);
    expect(await failure(compat().generate(req('x')))).toMatchObject({
      kind: 'server',
      retryable: true,
      status,
    });
  });

  it('400 → client, not retryable; 408 → timeout, retryable', async () => {
    server.queueFaults([{ status: 400, message: 'bad field temperature' }, { status: 408 }]);
    const e = await failure(compat().generate(req('x')));
    expect(e).toMatchObject({ kind: 'client', retryable: false, status: 400 });
    expect(e.message).toContain('bad field temperature');
    expect(await failure(compat().generate(req('x')))).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('a hang ended by AbortSignal.timeout → timeout, retryable', async () => {
    server.queueFaults([{ hang: true }]);
    const t = performance.now();
    const e = await failure(compat().generate(req('x', { signal: AbortSignal.timeout(150) })));
    expect(e).toMatchObject({ kind: 'timeout', retryable: true });
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it("the user's abort → an AbortError, not a ModelCallError", async () => {
    server.queueFaults([{ hang: true }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const err = await compat()
      .generate(req('x', { signal: AbortSignal.any([ac.signal, AbortSignal.timeout(10_000)]) }))
      .catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ModelCallError);
    expect((err as Error).name).toBe('AbortError');
  });

  it('a reset socket → network, retryable', async () => {
    server.queueFaults([{ reset: true }]);
    expect(await failure(compat().generate(req('x')))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('connection refused → network, retryable', async () => {
    const s = await startTestServer();
    const url = s.url;
    await s.close();
    const p = createModelRegistry([{ id: 'openai-compatible:gone', baseUrl: url, adapter }], {
      root: '/',
      env,
    }).resolve('openai-compatible:gone');
    expect(await failure(p.generate(req('x')))).toMatchObject({ kind: 'network', retryable: true });
  });

  it('malformed JSON → bad-response, retryable', async () => {
    server.queueFaults([{ malformed: true }]);
    expect(await failure(compat().generate(req('x')))).toMatchObject({
      kind: 'bad-response',
      retryable: true,
    });
  });

  it('never puts the key in an error message, even when the server echoes it', async () => {
    server.queueFaults([
      { status: 401, message: `Incorrect API key provided: ${secret}` },
      { status: 500, message: `upstream said ${encodeURIComponent(secret)}` },
    ]);
    for (const make of [openai, compat]) {
      const e = await failure(make().generate(req('x')));
      expect(e.message).not.toContain(secret);
      expect(e.message).toContain('[redacted]');
      expect(inspect(e, { depth: 20 })).not.toContain(secret);
    }
  });
});

describe('headers and secrets', () => {
  it.each(['ai-sdk', 'direct'] as const)(
    'resolves $' + '{ENV} header values at call time, key not on the port (%s)',
    async (adapter) => {
      const e2 = { ...env };
      const p = createModelRegistry(
        [
          {
            id: 'openai-compatible:h',
            baseUrl: server.url,
            apiKeyEnv: 'ACME_KEY',
            adapter,
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} reference, resolved by the registry
            headers: { 'x-team': 'team ${TEAM_TOKEN}', 'x-plain': 'v1' },
          },
        ],
        { root: '/', env: e2 },
      ).resolve('openai-compatible:h');
      await p.generate(req('x'));
      expect(server.lastHeaders?.['x-team']).toBe('team team-token-value-1234');
      expect(server.lastHeaders?.['x-plain']).toBe('v1');
      e2.TEAM_TOKEN = 'rotated-token-5678';
      await p.generate(req('x'));
      expect(server.lastHeaders?.['x-team']).toBe('team rotated-token-5678');
      expect(server.lastHeaders?.authorization).toBe(`Bearer ${secret}`);
      expect(JSON.stringify(p)).not.toContain(secret);
      expect(inspect(p, { depth: 20, showHidden: true })).not.toContain(secret);
      expect(Object.keys(p).sort()).toEqual(['generate', 'id', 'modelName', 'provider']);
    },
  );

  it('openai-compatible without a key sends no Authorization header', async () => {
    await port({ id: 'openai-compatible:nokey' }).generate(req('x'));
    expect(server.lastHeaders?.authorization).toBeUndefined();
  });

  it.each([
    ['ai-sdk', compat],
    ['direct', direct],
  ])('passes extra settings through to the body (%s)', async (_label, make) => {
    await make().generate(req('x', { settings: { temperature: 0, top_k: 40, repeat_penalty: 1.1 } }));
    expect(server.lastBody).toMatchObject({ temperature: 0, top_k: 40, repeat_penalty: 1.1 });
  });

  it('the direct adapter sends the same body as the AI SDK adapter', async () => {
    const r = req('same?', {
      settings: { temperature: 0.3, maxTokens: 20, topP: 0.5, stop: ['x'], seed: 3, top_k: 5 },
      tools: [{ name: 't', description: 'd', parameters: { type: 'object', properties: {} } }],
      outputSchema: { type: 'object' },
    });
    await compat().generate(r);
    const viaSdk = server.lastBody;
    await direct().generate(r);
    expect({ ...server.lastBody, model: 'm' }).toEqual({ ...viaSdk, model: 'm' });
  });

  it('merges the model config settings under the request settings', async () => {
    const p = port({ id: 'openai-compatible:s', settings: { temperature: 0.5, seed: 1 } });
    await p.generate(req('x', { settings: { temperature: 0 } }));
    expect(server.lastBody).toMatchObject({ temperature: 0, seed: 1 });
  });

  it('uses config.model as the vendor model name', async () => {
    const p = port({ id: 'openai-compatible:local', model: 'llama3.2' });
    expect(p.modelName).toBe('llama3.2');
    await p.generate(req('x'));
    expect(server.lastBody?.model).toBe('llama3.2');
  });
});
