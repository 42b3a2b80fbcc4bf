import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withNoNetwork } from '../test-helpers/with-no-network.ts';
import { ModelCallError, type ModelPort, type ModelRequest, type ModelResponse } from './model-port.ts';
import {
  canonicalRequest,
  type Recording,
  recordingPath,
  recordingPort,
  replayPort,
  requestHash,
} from './record-replay.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-rec-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const ask = (text: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: text },
  ],
  settings: { temperature: 0.7 },
  ...extra,
});

/** A scripted port: answers `<text>#<call number>`, or fails on "boom". */
function scriptedPort(id = 'openai:gpt-4o-mini', modelName = 'gpt-4o-mini'): ModelPort & { calls: number } {
  const port = {
    id,
    provider: id.slice(0, id.indexOf(':')),
    modelName,
    calls: 0,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      port.calls++;
      const last = request.messages.at(-1)?.content ?? '';
      if (last === 'boom')
        throw new ModelCallError('server said no', { kind: 'server', retryable: true, status: 500 });
      return {
        text: `${last}#${port.calls}`,
        toolCalls: last === 'tool' ? [{ id: 'c1', name: 'lookup', arguments: { q: 1 } }] : [],
        usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
        latencyMs: 42 + port.calls,
        finishReason: 'stop',
        responseModel: 'gpt-4o-mini-2024-07-18',
      };
    },
  };
  return port;
}

const jsonFiles = () => readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('canonical request', () => {
  it('is the same whatever the key order, and differs by sample, settings, schema and model', () => {
    const port = { id: 'openai:gpt-4o-mini', modelName: 'gpt-4o-mini' };
    const a = requestHash(canonicalRequest(port, ask('hi', { settings: { temperature: 0.7, topP: 1 } })));
    const b = requestHash(canonicalRequest(port, ask('hi', { settings: { topP: 1, temperature: 0.7 } })));
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    const others = [
      canonicalRequest(port, ask('hi', { settings: { temperature: 0.7, topP: 1 }, sample: 1 })),
      canonicalRequest(port, ask('hi', { settings: { temperature: 0.2, topP: 1 } })),
      canonicalRequest(
        port,
        ask('hi', { settings: { temperature: 0.7, topP: 1 }, outputSchema: { type: 'object' } }),
      ),
      canonicalRequest(
        { ...port, modelName: 'gpt-4o' },
        ask('hi', { settings: { temperature: 0.7, topP: 1 } }),
      ),
      canonicalRequest(
        { ...port, id: 'openai:other' },
        ask('hi', { settings: { temperature: 0.7, topP: 1 } }),
      ),
    ];
    for (const o of others) expect(requestHash(o)).not.toBe(a);
  });

  it('holds only the identifying fields: no signal, no transport extras, messages as role and content', () => {
    const request = {
      ...ask('hi', { sample: 2, tools: [{ name: 't', parameters: { type: 'object' } }] }),
      signal: new AbortController().signal,
      headers: { authorization: 'Bearer sk-should-not-appear' },
      baseUrl: 'https://user:pass@example.test/v1',
    } as ModelRequest;
    request.messages[1] = {
      ...request.messages[1],
      extra: 'x',
    } as unknown as ModelRequest['messages'][number];
    const c = canonicalRequest({ id: 'openai:gpt-4o-mini', modelName: 'gpt-4o-mini' }, request);
    expect(Object.keys(c).sort()).toEqual([
      'messages',
      'modelId',
      'modelName',
      'sample',
      'settings',
      'tools',
    ]);
    expect(c.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ]);
    expect(JSON.stringify(c)).not.toMatch(/sk-should-not-appear|pass@/);
    expect(c.sample).toBe(2);
    expect(canonicalRequest({ id: 'fake:x', modelName: 'x' }, ask('hi')).sample).toBe(0);
  });

  it('refuses a setting that can only be a credential', () => {
    expect(() =>
      canonicalRequest({ id: 'openai:x', modelName: 'x' }, ask('hi', { settings: { api_key: 'sk-123' } })),
    ).toThrow(/setting 'api_key' looks like a credential/);
  });
});

describe('recordingPort', () => {
  it('writes one <hash>.json per answered call, atomically, with request, response, time and version', async () => {
    const real = scriptedPort();
    const port = recordingPort(real, dir);
    expect([port.id, port.provider, port.modelName]).toEqual(['openai:gpt-4o-mini', 'openai', 'gpt-4o-mini']);
    const r = await port.generate(ask('tool', { signal: new AbortController().signal }));
    expect(r.text).toBe('tool#1');
    const hash = requestHash(canonicalRequest(real, ask('tool')));
    expect(jsonFiles()).toEqual([`${hash}.json`]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const rec = JSON.parse(readFileSync(recordingPath(dir, hash), 'utf8')) as Recording;
    expect(rec.format).toBe('assay-recording-v1');
    expect(rec.request).toEqual(canonicalRequest(real, ask('tool')));
    expect(rec.response).toEqual({
      text: 'tool#1',
      toolCalls: [{ id: 'c1', name: 'lookup', arguments: { q: 1 } }],
      usage: { inputTokens: 10, outputTokens: 3, totalTokens: 13 },
      latencyMs: 43,
      finishReason: 'stop',
      responseModel: 'gpt-4o-mini-2024-07-18',
    });
    expect(Date.parse(rec.recordedAt)).not.toBeNaN();
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(rec.assayVersion).toBe(pkg.version);
  });

  it('records nothing for a failed call and passes the error through unchanged', async () => {
    const port = recordingPort(scriptedPort(), dir);
    const err = await port.generate(ask('boom')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelCallError);
    expect((err as ModelCallError).kind).toBe('server');
    expect(jsonFiles()).toEqual([]);
  });

  it('keeps repeated samples of one request apart', async () => {
    const port = recordingPort(scriptedPort(), dir);
    await port.generate(ask('same', { sample: 0 }));
    await port.generate(ask('same', { sample: 1 }));
    expect(jsonFiles()).toHaveLength(2);
  });

  it('refuses to record an exchange that contains a secret value, naming the variable only', async () => {
    const secret = 'sk-test-0123456789abcdef';
    const port = recordingPort(scriptedPort(), dir, { secrets: [{ name: 'ACME_KEY', value: secret }] });
    const err = (await port.generate(ask(`my key is ${secret}`)).catch((e: unknown) => e)) as ModelCallError;
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err.kind).toBe('client');
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/not recorded: it contains the value of ACME_KEY/);
    expect(err.message).not.toContain(secret);
    expect(jsonFiles()).toEqual([]);
  });

  it('a folder it cannot write to makes the call a non-retryable error', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const port = recordingPort(scriptedPort(), join(file, 'rec'));
    const err = (await port.generate(ask('hi')).catch((e: unknown) => e)) as ModelCallError;
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err.message).toMatch(/cannot write the recording/);
    expect(err.retryable).toBe(false);
  });
});

describe('replayPort', () => {
  it('answers recorded calls with the recorded response, without network or the real port', async () => {
    const real = scriptedPort();
    const rec = recordingPort(real, dir);
    const first = await rec.generate(ask('tool'));
    const s0 = await rec.generate(ask('again', { sample: 0 }));
    const s1 = await rec.generate(ask('again', { sample: 1 }));
    const replay = replayPort('openai:gpt-4o-mini', dir);
    expect([replay.id, replay.provider, replay.modelName]).toEqual([
      'openai:gpt-4o-mini',
      'openai',
      'gpt-4o-mini',
    ]);
    const got = await withNoNetwork(async () => [
      await replay.generate(ask('tool')),
      await replay.generate(ask('again', { sample: 1 })),
      await replay.generate(ask('again', { sample: 0 })),
    ]);
    expect(got).toEqual([first, s1, s0]);
    expect(real.calls).toBe(3);
  });

  it('keeps tool turns and log-probabilities apart and replays them', async () => {
    const real = scriptedPort();
    const withLogprobs: ModelPort = {
      ...real,
      async generate(request) {
        const r = await real.generate(request);
        return request.topLogprobs ? { ...r, logprobs: [{ token: '4', logprob: -0.1, top: [] }] } : r;
      },
    };
    const rec = recordingPort(withLogprobs, dir);
    const toolTurn = (id: string): ModelRequest =>
      ask('x', {
        messages: [
          { role: 'user', content: 'refund A1' },
          { role: 'assistant', content: '', toolCalls: [{ id, name: 'lookup', arguments: { id: 'A1' } }] },
          { role: 'tool', content: '{"ok":true}', toolCallId: id, name: 'lookup' },
        ],
      });
    const a = await rec.generate(toolTurn('c1'));
    const b = await rec.generate(toolTurn('c2'));
    const p = await rec.generate(ask('score', { topLogprobs: 20 }));
    expect(jsonFiles()).toHaveLength(3); // the call ids and topLogprobs are part of the request
    const replay = replayPort('openai:gpt-4o-mini', dir);
    expect(await replay.generate(toolTurn('c1'))).toEqual(a);
    expect(await replay.generate(toolTurn('c2'))).toEqual(b);
    const replayed = await replay.generate(ask('score', { topLogprobs: 20 }));
    expect(replayed.logprobs).toEqual([{ token: '4', logprob: -0.1, top: [] }]);
    expect(replayed).toEqual(p);
    await expect(replay.generate(ask('score'))).rejects.toThrow(/no recording/);
  });

  it('a miss is a non-retryable client error naming the model, the request and its last user message', async () => {
    const replay = replayPort('openai:gpt-4o-mini', dir);
    const req = ask('Where is my parcel?\n  It was due on Monday.');
    const err = (await replay.generate(req).catch((e: unknown) => e)) as ModelCallError;
    expect(err).toBeInstanceOf(ModelCallError);
    expect(err.kind).toBe('client');
    expect(err.retryable).toBe(false);
    const hash = requestHash(canonicalRequest(replay, req)).slice(0, 12);
    expect(err.message).toBe(
      `no recording for openai:gpt-4o-mini request ${hash}: last user message 'Where is my parcel? It was due on Monday.' (record it with --record)`,
    );
    const long = (await replay.generate(ask('x'.repeat(200))).catch((e: unknown) => e)) as Error;
    expect(long.message).toMatch(/'x{59}…'/);
  });

  it('a different sample, setting or model name misses', async () => {
    await recordingPort(scriptedPort(), dir).generate(ask('hi'));
    const replay = replayPort('openai:gpt-4o-mini', dir);
    await expect(replay.generate(ask('hi'))).resolves.toMatchObject({ text: 'hi#1' });
    await expect(replay.generate(ask('hi', { sample: 1 }))).rejects.toThrow(/no recording/);
    await expect(replay.generate(ask('hi', { settings: { temperature: 0 } }))).rejects.toThrow(
      /no recording/,
    );
    const renamed = replayPort('openai:gpt-4o-mini', dir, { modelName: 'gpt-4o' });
    await expect(renamed.generate(ask('hi'))).rejects.toThrow(/no recording/);
  });

  it('takes the vendor model name from the recording when none is given', async () => {
    await recordingPort(scriptedPort('local:tiny', 'tiny-q4.gguf'), dir).generate(ask('hi'));
    const replay = replayPort('local:tiny', dir);
    expect(replay.modelName).toBe('tiny-q4.gguf');
    await expect(replay.generate(ask('hi'))).resolves.toMatchObject({ text: 'hi#1' });
    expect(replayPort('local:other', dir).modelName).toBe('other');
  });

  it('an edited or broken recording is a clear error, not a wrong answer', async () => {
    await recordingPort(scriptedPort(), dir).generate(ask('hi'));
    const [file] = jsonFiles();
    const path = join(dir, file as string);
    const rec = JSON.parse(readFileSync(path, 'utf8')) as Recording;
    const replay = replayPort('openai:gpt-4o-mini', dir);
    writeFileSync(path, JSON.stringify({ ...rec, request: { ...rec.request, sample: 5 } }));
    await expect(replay.generate(ask('hi'))).rejects.toThrow(/does not hold the request it is named after/);
    writeFileSync(path, JSON.stringify({ ...rec, response: { text: 1 } }));
    await expect(replay.generate(ask('hi'))).rejects.toThrow(/has no valid response/);
    writeFileSync(path, '{"trunc');
    await expect(replay.generate(ask('hi'))).rejects.toThrow(/is not valid JSON/);
  });
});
