import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../core/config/project.ts';
import { ConfigError } from '../../core/errors.ts';
import { writeTinyGguf } from '../../test-helpers/make-tiny-gguf.ts';
import { ModelCallError, type ModelPort, type ModelRequest } from '../model-port.ts';
import { DEFAULT_LOCAL_MODEL } from './default-local-model.ts';
import {
  closeLocalModels,
  createLocalModel,
  defaultThreads,
  generationOptions,
  type LocalModelDeps,
  localModelFactory,
  RUNTIME_MISSING_MESSAGE,
  toChatHistory,
} from './local-model.ts';
import { modelCachePath } from './model-cache.ts';

const root = mkdtempSync(join(tmpdir(), 'assay-local-'));
const cacheDir = join(root, 'cache');
writeTinyGguf(join(root, 'tiny.gguf'));
afterAll(async () => {
  await closeLocalModels();
  rmSync(root, { recursive: true, force: true });
});

const env = { ASSAY_MODELS_DIR: cacheDir };
function port(name: string, extra: Partial<ModelConfig> = {}, deps?: LocalModelDeps): ModelPort {
  return createLocalModel({ config: { id: `local:${name}`, threads: 1, ...extra }, name, root, env }, deps);
}
function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}
const ask = (p: ModelPort, request: Partial<ModelRequest> = {}) =>
  p.generate({ messages: [{ role: 'user', content: 'Hello?' }], settings: {}, ...request });

describe('locating a local model (resolve time, no network, no runtime)', () => {
  it('fails at once when the file is not there, naming it', () => {
    const e = errorOf(() => port('./models/missing.gguf'));
    expect(e.message).toMatch(/^models\/missing\.gguf: model file not found \(\/.*\/models\/missing\.gguf\)/);
    expect(e.message).toMatch(/assay models pull/);
  });

  it('fails at once when an hf: model or the default one has not been pulled, saying how to pull it', () => {
    const e = errorOf(() => port('hf:acme/tiny-GGUF/tiny.gguf'));
    expect(e.message).toContain(
      `hf:acme/tiny-GGUF/tiny.gguf has not been pulled (it is not in the models cache ${cacheDir})`,
    );
    expect(e.message).toContain('`assay models pull hf:acme/tiny-GGUF/tiny.gguf`');
    const d = errorOf(() => port('default', { model: DEFAULT_LOCAL_MODEL.uri }));
    expect(d.message).toContain(`${DEFAULT_LOCAL_MODEL.uri} has not been pulled`);
    expect(d.message).toContain('`assay models pull`;');
  });

  it('finds a pulled hf: model in the cache and runs it', async () => {
    const uri = 'hf:acme/tiny-GGUF/tiny.gguf';
    const path = modelCachePath(uri, { cacheDir });
    mkdirSync(dirname(path), { recursive: true });
    copyFileSync(join(root, 'tiny.gguf'), path);
    const r = await ask(port(uri));
    expect(r.text).toBe('Hi!');
  });

  it('validates the GGUF metadata before anything is loaded', () => {
    writeTinyGguf(join(root, 'bad.gguf'), { omitKeys: ['llama.attention.head_count'] });
    expect(errorOf(() => port('./bad.gguf')).message).toMatch(
      /^bad\.gguf: missing metadata key llama\.attention\.head_count/,
    );
  });

  it('reports a missing runtime at resolve time and at the first call', async () => {
    const e = errorOf(() => port('./tiny.gguf', {}, { runtimeInstalled: () => false }));
    expect(e.message).toBe(RUNTIME_MISSING_MESSAGE);
    expect(e.message).toBe(
      'the local model runtime is not installed: npm install node-llama-cpp@3.21.1 (CPU-only: see docs/local-models.md)',
    );
    // the factory's importer fails as `import()` does when the package is absent
    const factory = localModelFactory({
      runtimeInstalled: () => true,
      importRuntime: () =>
        Promise.reject(
          Object.assign(new Error("Cannot find package 'node-llama-cpp'"), { code: 'ERR_MODULE_NOT_FOUND' }),
        ),
    });
    const p = factory({
      config: { id: 'local:./tiny.gguf' },
      provider: 'local',
      name: './tiny.gguf',
      root,
      env,
    });
    const err = await ask(p).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(ModelCallError);
    expect((err as ModelCallError).message).toBe(RUNTIME_MISSING_MESSAGE);
    expect((err as ModelCallError).retryable).toBe(false);
  });

  it('names the model by file; its cache identity follows the content, not the path', () => {
    writeTinyGguf(join(root, 'a.gguf'));
    writeTinyGguf(join(root, 'copy.gguf'));
    writeTinyGguf(join(root, 'b.gguf'), { reply: 'Yo' }); // same metadata and size, other weights
    const a = port('./a.gguf');
    expect(a.modelName).toBe('a.gguf');
    expect(a.cacheIdentity).toMatch(/^gguf:[0-9a-f]{12}$/);
    expect(port('./copy.gguf').cacheIdentity).toBe(a.cacheIdentity);
    expect(port('./b.gguf').cacheIdentity).not.toBe(a.cacheIdentity);
  });
});

describe('loading node-llama-cpp lazily', () => {
  it('imports the runtime at the first call, not when the provider table loads or a model resolves', () => {
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, ctx, next) { loaded.push(url); return next(url, ctx); } });
      const runtime = () => loaded.some((u) => u.includes('/node_modules/node-llama-cpp/'));
      const { createModelRegistry } = await import(${JSON.stringify(join(import.meta.dirname, '../model-registry.ts'))});
      const reg = createModelRegistry([{ id: 'local:./tiny.gguf', threads: 1 }], { root: ${JSON.stringify(root)} });
      const port = reg.resolve('local:./tiny.gguf');
      const atResolve = runtime();
      const r = await port.generate({ messages: [{ role: 'user', content: 'hey' }], settings: {} });
      console.log(JSON.stringify({ atResolve, afterCall: runtime(), text: r.text }));
    `;
    // A file, not `node -e`: node-llama-cpp tests its binary in a fork that inherits the exec arguments.
    writeFileSync(join(root, 'lazy.mjs'), script);
    const out = execFileSync(process.execPath, [join(root, 'lazy.mjs')], { encoding: 'utf8' });
    expect(JSON.parse(out.trim().split('\n').at(-1) as string)).toEqual({
      atResolve: false,
      afterCall: true,
      text: 'Hi!',
    });
  });
});

describe('generating with a local model', () => {
  const tiny = port('./tiny.gguf');

  it('answers, with usage from the tokenizer, latency and the finish reason', async () => {
    const r = await ask(tiny);
    expect(r.text).toBe('Hi!');
    expect(r.finishReason).toBe('stop');
    expect(r.toolCalls).toEqual([]);
    expect(r.responseModel).toBe('tiny-test-llama');
    expect(r.usage.inputTokens).toBeGreaterThan(5);
    expect(r.usage.outputTokens).toBe(4); // H, i, !, <|im_end|>
    expect(r.usage.totalTokens).toBe((r.usage.inputTokens ?? 0) + 4);
    expect(r.latencyMs).toBeGreaterThan(0);
    // calls are independent: the same request gives the same usage
    expect((await ask(tiny)).usage).toEqual(r.usage);
  });

  it('applies maxTokens and stop sequences', async () => {
    const short = await ask(tiny, { settings: { maxTokens: 2 } });
    expect(short.text).toBe('Hi');
    expect(short.finishReason).toBe('length');
    const stopped = await ask(tiny, { settings: { stop: ['!'] } });
    expect(stopped.text).toBe('Hi');
    expect(stopped.finishReason).toBe('stop');
  });

  it('serialises concurrent calls on one model', async () => {
    const answers = await Promise.all(Array.from({ length: 4 }, () => ask(tiny)));
    expect(answers.map((a) => a.text)).toEqual(['Hi!', 'Hi!', 'Hi!', 'Hi!']);
  });

  it('stops a call whose signal aborts', async () => {
    const c = new AbortController();
    c.abort(new Error('stop now'));
    await expect(ask(tiny, { signal: c.signal })).rejects.toThrow('stop now');
    expect((await ask(tiny)).text).toBe('Hi!');
  });

  it('refuses tools with a client error (not retried)', async () => {
    const e = await ask(tiny, { tools: [{ name: 'f', parameters: { type: 'object' } }] }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ModelCallError);
    expect((e as ModelCallError).kind).toBe('client');
  });

  it('falls back to ChatML when the file has no chat template', async () => {
    writeTinyGguf(join(root, 'plain.gguf'), { chatTemplate: false, reply: 'Yo' });
    const plain = port('./plain.gguf');
    const withTemplate = await ask(tiny);
    const r = await ask(plain);
    expect(r.text).toBe('Yo');
    // the same prompt rendered the same way (ChatML either way)
    expect(r.usage.inputTokens).toBe(withTemplate.usage.inputTokens);
  });
});

describe('request mapping', () => {
  it('passes the system prompt and turns explicitly; a trailing assistant message is a prefix', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 'S' },
        { role: 'user', content: 'U' },
        { role: 'assistant', content: 'A' },
        { role: 'tool', content: 'T' },
      ]),
    ).toEqual({
      history: [
        { type: 'system', text: 'S' },
        { type: 'user', text: 'U' },
        { type: 'model', response: ['A'] },
        { type: 'user', text: 'Tool result:\nT' },
        { type: 'model', response: [] },
      ],
      prefix: '',
    });
    expect(
      toChatHistory([
        { role: 'user', content: 'U' },
        { role: 'assistant', content: '{' },
      ]).prefix,
    ).toBe('{');
  });

  it('maps settings; greedy and no repeat penalty unless asked', () => {
    expect(generationOptions({})).toMatchObject({ temperature: 0, repeatPenalty: false });
    expect(
      generationOptions({ temperature: 0.7, topP: 0.9, topK: 40, seed: 3, maxTokens: 9, stop: ['\n\n', ''] }),
    ).toMatchObject({
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      seed: 3,
      maxTokens: 9,
      customStopTriggers: ['\n\n'],
    });
    expect(generationOptions({ repeatPenalty: 1.1, presencePenalty: 0.5 }).repeatPenalty).toEqual({
      penalty: 1.1,
      presencePenalty: 0.5,
      frequencyPenalty: undefined,
    });
  });

  it('defaults threads to the cores minus one, between 1 and 4', () => {
    expect([1, 2, 3, 4, 8, 64].map((c) => defaultThreads(c))).toEqual([1, 1, 2, 3, 4, 4]);
  });
});
