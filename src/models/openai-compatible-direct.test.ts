import { describe, expect, it } from 'vitest';
import { startTestServer } from '../test-helpers/test-server.ts';
import { ModelCallError } from './model-port.ts';
import { buildChatBody, createOpenAICompatibleDirect, readCompletion } from './openai-compatible-direct.ts';

describe('buildChatBody', () => {
  it('renames known settings, passes extras through, maps tool messages to user turns', () => {
    const body = buildChatBody('m', {
      messages: [
        { role: 'system', content: 's' },
        { role: 'tool', content: 't' },
        { role: 'assistant', content: 'a' },
      ],
      settings: {
        temperature: 0,
        maxTokens: 5,
        topP: 1,
        stop: 'END' as unknown as string[],
        seed: 2,
        topK: 3,
        logit_bias: { 1: 2 },
        x: undefined,
      },
    });
    expect(body).toEqual({
      model: 'm',
      temperature: 0,
      max_tokens: 5,
      top_p: 1,
      stop: ['END'],
      seed: 2,
      top_k: 3,
      logit_bias: { 1: 2 },
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 't' },
        { role: 'assistant', content: 'a' },
      ],
    });
  });
});

describe('readCompletion', () => {
  it('reads text, tool calls, usage, finish reason and model', () => {
    const r = readCompletion(
      {
        model: 'served',
        choices: [
          {
            message: {
              content: null,
              tool_calls: [{ id: 'a', function: { name: 'f', arguments: '{"x":1}' } }],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: { prompt_tokens: 3, completion_tokens: 4 },
      },
      1.5,
    );
    expect(r).toEqual({
      text: '',
      toolCalls: [{ id: 'a', name: 'f', arguments: { x: 1 } }],
      usage: { inputTokens: 3, outputTokens: 4, totalTokens: 7 },
      latencyMs: 1.5,
      finishReason: 'tool-calls',
      responseModel: 'served',
    });
  });
  it('names what is wrong with a bad body', () => {
    expect(readCompletion({ choices: [] }, 0)).toMatch(/no choices/);
    expect(readCompletion({ choices: [{ message: { content: 5 } }] }, 0)).toMatch(/not a string/);
  });
});

describe('createOpenAICompatibleDirect with a custom fetch', () => {
  it('uses the given fetch (record/replay) and maps a wrong-shaped 200 to bad-response', async () => {
    const seen: string[] = [];
    const port = createOpenAICompatibleDirect({
      id: 'openai-compatible:x',
      provider: 'openai-compatible',
      modelName: 'x',
      baseURL: 'http://127.0.0.1:1/v1/',
      fetch: async (url) => {
        seen.push(String(url));
        return new Response('{"choices":[]}', { status: 200 });
      },
    });
    const err = await port
      .generate({ messages: [{ role: 'user', content: 'hi' }], settings: {} })
      .catch((e) => e);
    expect(seen).toEqual(['http://127.0.0.1:1/v1/chat/completions']);
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err).toMatchObject({ kind: 'bad-response', retryable: true, status: 200 });
  });
});

describe('log-probabilities against the test server', () => {
  it('asks for top_logprobs only when requested and reads choices[0].logprobs.content', async () => {
    const server = await startTestServer({
      respond: (body) =>
        body.logprobs
          ? {
              content: '{"score": 4}',
              logprobs: {
                content: [
                  { token: '{"score": ', logprob: -0.01, bytes: [], top_logprobs: [] },
                  {
                    token: '4',
                    logprob: -0.3,
                    bytes: [52],
                    top_logprobs: [
                      { token: '4', logprob: -0.3, bytes: [52] },
                      { token: '5', logprob: -1.4, bytes: [53] },
                    ],
                  },
                  { token: '}', logprob: 0, bytes: [125], top_logprobs: [] },
                ],
              },
            }
          : 'plain',
    });
    try {
      const port = createOpenAICompatibleDirect({
        id: 'openai-compatible:t',
        provider: 'openai-compatible',
        modelName: 't',
        baseURL: server.url,
      });
      const plain = await port.generate({ messages: [{ role: 'user', content: 'q' }], settings: {} });
      expect(server.lastBody).not.toHaveProperty('logprobs');
      expect(server.lastBody).not.toHaveProperty('top_logprobs');
      expect(plain.logprobs).toBeUndefined();
      const r = await port.generate({
        messages: [{ role: 'user', content: 'q' }],
        settings: {},
        topLogprobs: 20,
      });
      expect(server.lastBody).toMatchObject({ logprobs: true, top_logprobs: 20 });
      expect(r.text).toBe('{"score": 4}');
      expect(r.logprobs).toEqual([
        { token: '{"score": ', logprob: -0.01, top: [] },
        {
          token: '4',
          logprob: -0.3,
          top: [
            { token: '4', logprob: -0.3 },
            { token: '5', logprob: -1.4 },
          ],
        },
        { token: '}', logprob: 0, top: [] },
      ]);
    } finally {
      await server.close();
    }
  });

  it('a provider that ignores the request (logprobs null or malformed) gives no logprobs, not an error', () => {
    const body = (logprobs: unknown) => ({ choices: [{ message: { content: 'x' }, logprobs }] });
    expect(readCompletion(body(null), 0)).not.toHaveProperty('logprobs');
    expect(readCompletion(body({ content: [{ token: 1 }] }), 0)).not.toHaveProperty('logprobs');
    expect(readCompletion(body({ content: [] }), 0)).not.toHaveProperty('logprobs');
  });
});
