import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import { withNoNetwork } from '../test-helpers/with-no-network.ts';
import { createFakeModel, validateFakeScript } from './fake-model.ts';
import { ModelCallError, type ModelRequest } from './model-port.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'assay-fake-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const ask = (text: string, extra: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [
    { role: 'system', content: 'sys' },
    { role: 'user', content: text },
  ],
  settings: {},
  ...extra,
});

function scripted(yaml: string) {
  writeFileSync(join(root, 'fake.yaml'), yaml);
  return createFakeModel({ id: 'fake:bot', script: 'fake.yaml' }, { root });
}

describe('fake model', () => {
  it('has a cache identity that changes with its script, so an edited script is not served from the cache', () => {
    const a = scripted('default: one\n').cacheIdentity;
    expect(a).toMatch(/^fake-script:[0-9a-f]{16}$/);
    expect(scripted('default: one\n').cacheIdentity).toBe(a);
    expect(scripted('default: two\n').cacheIdentity).not.toBe(a);
  });

  it('echoes the last user message by default, with estimated usage, without any network', async () => {
    const m = createFakeModel({ id: 'fake:echo' }, { root });
    const r = await withNoNetwork(() => m.generate(ask('hello there')));
    expect(r).toMatchObject({
      text: 'hello there',
      toolCalls: [],
      finishReason: 'stop',
      responseModel: 'echo',
    });
    expect(r.usage).toEqual({ inputTokens: 4, outputTokens: 3, totalTokens: 7 }); // ⌈14/4⌉, ⌈11/4⌉
    expect(m).toMatchObject({ id: 'fake:echo', provider: 'fake', modelName: 'echo' });
  });

  it('answers by the first matching rule (regex, contains), with {{last_user}} and a default', async () => {
    const m = scripted(`
rules:
  - match: "^refund"
    reply: "Refunds take 5 days. You said: {{last_user}}"
    usage: { inputTokens: 100, outputTokens: 20 }
  - contains: weather
    toolCalls: [{ name: get_weather, arguments: { city: Paris } }]
  - contains: refund
    reply: never reached for a message starting with refund
default: "Sorry, I cannot help with '{{last_user}}'."
`);
    const a = await m.generate(ask('refund my order'));
    expect(a.text).toBe('Refunds take 5 days. You said: refund my order');
    expect(a.usage).toEqual({ inputTokens: 100, outputTokens: 20, totalTokens: 120 });
    const b = await m.generate(ask("what's the weather"));
    expect(b).toMatchObject({ text: '', finishReason: 'tool-calls' });
    expect(b.toolCalls).toEqual([{ id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }]);
    expect((await m.generate(ask('hi'))).text).toBe("Sorry, I cannot help with 'hi'.");
    // deterministic
    expect((await m.generate(ask('refund my order'))).text).toBe(a.text);
  });

  it('throws scripted errors as ModelCallErrors, limited by times', async () => {
    const m = scripted(`
rules:
  - contains: flaky
    times: 2
    error: { kind: rate-limit, message: slow down, status: 429, retryAfterMs: 10 }
  - contains: bad
    error: { kind: client, message: nope, status: 400 }
  - contains: flaky
    reply: finally
`);
    for (let i = 0; i < 2; i++) {
      const e = await m.generate(ask('flaky')).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ModelCallError);
      expect(e).toMatchObject({ kind: 'rate-limit', retryable: true, status: 429, retryAfterMs: 10 });
    }
    expect((await m.generate(ask('flaky'))).text).toBe('finally');
    expect(await m.generate(ask('bad')).catch((x: unknown) => x)).toMatchObject({
      kind: 'client',
      retryable: false,
    });
  });

  it('waits delayMs, and a timeout signal ends the wait as a timeout', async () => {
    const m = scripted(
      'rules:\n  - contains: slow\n    delayMs: 5000\n    reply: late\n  - contains: quick\n    delayMs: 30\n    reply: ok\n',
    );
    const t = performance.now();
    expect((await m.generate(ask('quick'))).text).toBe('ok');
    expect(performance.now() - t).toBeGreaterThanOrEqual(25);
    const e = await m.generate(ask('slow', { signal: AbortSignal.timeout(30) })).catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'timeout', retryable: true });
    const user = new AbortController();
    setTimeout(() => user.abort(), 20);
    const a = await m.generate(ask('slow', { signal: user.signal })).catch((x: unknown) => x);
    expect((a as Error).name).toBe('AbortError');
  });

  it('uses a respond function (library API)', async () => {
    const m = createFakeModel(
      { id: 'fake:fn', respond: async (messages) => `n=${messages.length} last=${messages.at(-1)?.content}` },
      { root },
    );
    expect((await m.generate(ask('yo'))).text).toBe('n=2 last=yo');
  });

  it('reads JSON scripts too', async () => {
    writeFileSync(join(root, 'f.json'), JSON.stringify({ rules: [{ contains: 'a', reply: 'A' }] }));
    const m = createFakeModel({ id: 'fake:j', script: 'f.json' }, { root });
    expect((await m.generate(ask('a'))).text).toBe('A');
  });
});

describe('fake script errors name the file and field', () => {
  const bad = (yaml: string) => {
    try {
      scripted(yaml);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as ConfigError).message;
    }
    throw new Error('expected a ConfigError');
  };
  it.each([
    ['rules: {}', 'fake.yaml: rules: must be a list'],
    ['rules:\n  - match: "("\n    reply: x', 'fake.yaml: rules[0].match: invalid regular expression'],
    ['rules:\n  - contains: x', 'fake.yaml: rules[0]: a rule needs reply, toolCalls or error'],
    ['rules:\n  - reply: x\n    replay: y', "fake.yaml: rules[0].replay: unknown field 'replay'"],
    [
      'rules:\n  - error: { kind: oops, message: m }',
      "fake.yaml: rules[0].error.kind: unknown error kind 'oops'",
    ],
    ['rules:\n  - reply: x\n    delayMs: -1', 'fake.yaml: rules[0].delayMs: must be a number >= 0'],
    [
      'rules:\n  - reply: x\n    usage: { inputTokens: many }',
      'fake.yaml: rules[0].usage.inputTokens: must be a number',
    ],
    ['rules: [\n', 'fake.yaml:'],
    ['default: 5', 'fake.yaml: default: must be a string'],
  ])('%j', (yaml, expected) => {
    expect(bad(yaml)).toContain(expected);
  });
  it('a missing file', () => {
    expect(() => createFakeModel({ id: 'fake:x', script: 'nope.yaml' }, { root })).toThrow(
      'nope.yaml: file not found',
    );
  });
  it('script and respond together', () => {
    expect(() => createFakeModel({ id: 'fake:x', script: 'a.yaml', respond: () => 'x' }, { root })).toThrow(
      ConfigError,
    );
  });
  it('validateFakeScript accepts an empty script', () => {
    expect(validateFakeScript({})).toEqual({ rules: [] });
  });
});

describe('fake model log-probabilities', () => {
  const SCRIPT = [
    'rules:',
    '  - reply: "score 4"',
    '    logprobs:',
    '      - { token: "score " }',
    "      - { token: '4', top: { '3': -2.5, '4': -0.1, '5': -1.2 } }",
    '',
  ].join('\n');

  it('returns the scripted tokens only when the call asks for top log-probabilities, best first, at most N', async () => {
    const m = scripted(SCRIPT);
    expect((await m.generate(ask('x'))).logprobs).toBeUndefined();
    const r = await m.generate(ask('x', { topLogprobs: 2 }));
    expect(r.text).toBe('score 4');
    expect(r.logprobs).toEqual([
      { token: 'score ', logprob: 0, top: [] },
      {
        token: '4',
        logprob: -0.1,
        top: [
          { token: '4', logprob: -0.1 },
          { token: '5', logprob: -1.2 },
        ],
      },
    ]);
  });

  it('a script whose tokens do not spell the reply, or with a positive logprob, is a config error', () => {
    const bad =
      (logprobs: unknown, reply = 'ab') =>
      () =>
        validateFakeScript({ rules: [{ reply, logprobs }] }, 'f.yaml');
    expect(bad([{ token: 'a' }, { token: 'c' }])).toThrow(
      /rules\[0\]\.logprobs: the tokens spell "ac", not the reply/,
    );
    expect(bad([{ token: 'ab', top: { ab: 0.5 } }])).toThrow(
      /rules\[0\]\.logprobs\[0\]\.top\.ab: must be a number <= 0/,
    );
    expect(bad([{ token: '' }])).toThrow(/logprobs\[0\]\.token: must be a non-empty string/);
    expect(bad([])).toThrow(/rules\[0\]\.logprobs: must be a non-empty list/);
    expect(bad([{ token: 'ab', p: 1 }])).toThrow(/logprobs\[0\]\.p: unknown field 'p'/);
  });

  it('a reply built from the request is checked against its tokens when made', async () => {
    const m = scripted('rules:\n  - reply: "{{last_user}}"\n    logprobs: [{ token: "hi" }]\n');
    expect((await m.generate(ask('hi', { topLogprobs: 1 }))).logprobs).toEqual([
      { token: 'hi', logprob: 0, top: [] },
    ]);
    await expect(m.generate(ask('other', { topLogprobs: 1 }))).rejects.toMatchObject({
      kind: 'bad-response',
    });
  });
});

describe('fake model: agent rules (step, afterTool, toolResult, system, sample)', () => {
  const script = `
rules:
  - { system: hasty, step: 0, toolCalls: [{ name: refund, arguments: { id: A1 } }] }
  - { step: 0, toolCalls: [{ name: lookup, arguments: { id: A1 } }] }
  - { afterTool: lookup, toolResult: "^Error", toolCalls: [{ name: lookup, arguments: { id: A1 } }] }
  - { sample: 1, afterTool: lookup, reply: second sample }
  - { afterTool: lookup, toolCalls: [{ name: refund, arguments: { id: A1 } }] }
  - { afterTool: refund, reply: refunded }
`;
  const turn = (system: string, ...rest: ModelRequest['messages']): ModelRequest => ({
    messages: [{ role: 'system', content: system }, { role: 'user', content: 'refund A1' }, ...rest],
    settings: {},
  });
  const call = (name: string, id: string) => ({
    role: 'assistant' as const,
    content: '',
    toolCalls: [{ id, name, arguments: { id: 'A1' } }],
  });
  const result = (name: string, id: string, content: string) => ({
    role: 'tool' as const,
    content,
    toolCallId: id,
    name,
  });

  it('answers each step of a loop from the step index, the tool just run, its result and the system prompt', async () => {
    const m = scripted(script);
    const first = await m.generate(turn('policy'));
    expect(first.toolCalls).toEqual([{ id: 'call_0', name: 'lookup', arguments: { id: 'A1' } }]);
    expect(first.finishReason).toBe('tool-calls');
    expect((await m.generate(turn('hasty'))).toolCalls[0]?.name).toBe('refund');
    const retry = await m.generate(
      turn('policy', call('lookup', 'call_0'), result('lookup', 'call_0', 'Error: timeout')),
    );
    expect(retry.toolCalls).toEqual([{ id: 'call_1_0', name: 'lookup', arguments: { id: 'A1' } }]);
    const next = await m.generate(
      turn('policy', call('lookup', 'call_0'), result('lookup', 'call_0', '{"total":5}')),
    );
    expect(next.toolCalls[0]?.name).toBe('refund');
    const done = await m.generate(
      turn(
        'policy',
        call('lookup', 'c0'),
        result('lookup', 'c0', '{}'),
        call('refund', 'c1'),
        result('refund', 'c1', 'ok'),
      ),
    );
    expect(done).toMatchObject({ text: 'refunded', toolCalls: [], finishReason: 'stop' });
    const other = await m.generate({
      ...turn('policy', call('lookup', 'c0'), result('lookup', 'c0', '{}')),
      sample: 1,
    });
    expect(other.text).toBe('second sample');
  });

  it('rejects bad agent fields with the rule and field', () => {
    expect(() => validateFakeScript({ rules: [{ step: -1, reply: 'x' }] }, 'f.yaml')).toThrow(
      /rules\[0\]\.step/,
    );
    expect(() => validateFakeScript({ rules: [{ toolResult: '(', reply: 'x' }] }, 'f.yaml')).toThrow(
      /rules\[0\]\.toolResult: invalid regular expression/,
    );
    expect(() => validateFakeScript({ rules: [{ afterTool: 3, reply: 'x' }] }, 'f.yaml')).toThrow(
      /rules\[0\]\.afterTool: must be a string/,
    );
  });
});
