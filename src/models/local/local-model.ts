import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type {
  ChatHistoryItem,
  ChatWrapper,
  LlamaContext,
  LlamaContextSequence,
  LlamaGrammar,
  LlamaModel,
  Llama as LlamaRuntime,
} from 'node-llama-cpp';
import { LOCAL_MODEL_FORMS, parseLocalModelRef } from '../../core/config/local-model-ref.ts';
import type { ModelConfig } from '../../core/config/project.ts';
import { ConfigError } from '../../core/errors.ts';
import type { ChatMessage, JsonSchema, ModelSettings } from '../../core/types.ts';
import { ModelCallError, type ModelPort, type ModelRequest, type ModelResponse } from '../model-port.ts';
import type { ProviderFactory } from '../provider-factories.ts';
import { DEFAULT_LOCAL_MODEL } from './default-local-model.ts';
import { type GgufMetadata, readGgufMetadata } from './gguf-metadata.ts';
import { modelCachePath, modelsCacheDir, resolveLocalModel } from './model-cache.ts';

/**
 * `local:` models: GGUF files run in-process on CPU by node-llama-cpp (llama.cpp bindings), an optional
 * peer dependency imported on first use. See docs/local-models.md.
 *
 * At resolve time (before any call) the model file is located — a path, or an `hf:` URI / `default`
 * looked up in the models cache, never downloaded — and its GGUF metadata validated in plain TypeScript,
 * because llama.cpp can abort the process on a malformed file. Both problems are ConfigErrors (exit 2).
 * At the first call the runtime is imported and the model loaded (once per file, shared by every port
 * using it). Calls to one model file run one at a time (a per-model queue); each starts from an empty
 * context, so an answer never depends on the calls before it.
 */

/** The node-llama-cpp version Assay is tested with. */
export const LOCAL_RUNTIME_VERSION = '3.21.1';

export const RUNTIME_MISSING_MESSAGE = `the local model runtime is not installed: npm install node-llama-cpp@${LOCAL_RUNTIME_VERSION} (CPU-only: see docs/local-models.md)`;

/** Contexts are sized to the model's training context, at most this many tokens. */
export const MAX_CONTEXT_TOKENS = 8192;

type Runtime = typeof import('node-llama-cpp');

export interface LocalModelDeps {
  /** Imports node-llama-cpp (default: `import('node-llama-cpp')`); injectable to simulate a missing install. */
  importRuntime?: () => Promise<Runtime>;
  /** Whether node-llama-cpp can be found, checked at resolve time (default: `import.meta.resolve`). */
  runtimeInstalled?: () => boolean;
}

export interface LocalModelOptions {
  config: ModelConfig;
  /** The part of the id after `local:`. */
  name: string;
  /** Absolute project root: relative model paths start here. */
  root: string;
  /** Where the models cache directory is read from (ASSAY_MODELS_DIR, XDG_CACHE_HOME). */
  env?: NodeJS.ProcessEnv;
}

/** Default CPU threads: one core left free, at most 4 (more rarely helps small models, and hurts on a busy box). */
export function defaultThreads(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Where a `local:` model's file is, for loading and for messages. */
export interface LocalModelFile {
  /** Absolute path. */
  path: string;
  /** How to name it in messages (project-relative when inside the project). */
  display: string;
  /** The cache URI, for models named by URI (`hf:…`, `default`). */
  uri?: string;
  /** The models cache it was found in (with `uri`). */
  cacheDir?: string;
}

/**
 * Finds the model file of a `local:` id, without touching the network: a ConfigError (exit 2) when the
 * id is malformed or the file is not on disk, with the ways to get it.
 */
export function locateLocalModel(opts: LocalModelOptions): LocalModelFile {
  const { config, name, root } = opts;
  const ref = parseLocalModelRef(name);
  if (!ref) throw new ConfigError(`'${name}' is not a local model`, { expected: LOCAL_MODEL_FORMS });
  if (ref.kind === 'file') {
    const path = ref.path.startsWith('~/') ? join(homedir(), ref.path.slice(2)) : resolve(root, ref.path);
    const rel = relative(root, path);
    const display = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
    if (!isFile(path))
      throw new ConfigError(`model file not found${display === path ? '' : ` (${path})`}`, {
        file: display,
        hint: `local: paths are relative to the project root; get a GGUF file there, or pull one into the models cache (\`assay models pull hf:OWNER/REPO/FILE.gguf\`) and use local:hf:OWNER/REPO/FILE.gguf`,
      });
    return { path, display };
  }
  const uri = ref.kind === 'default' ? (config.model ?? DEFAULT_LOCAL_MODEL.uri) : ref.uri;
  const cacheDir = modelsCacheDir(opts.env ?? process.env);
  const path = modelCachePath(uri, { cacheDir });
  if (!isFile(path)) {
    const pull = ref.kind === 'default' ? 'assay models pull' : `assay models pull ${uri}`;
    throw new ConfigError(`${uri} has not been pulled (it is not in the models cache ${cacheDir})`, {
      hint: `pull it once, while online: \`${pull}\`; or point local: at a .gguf file you have`,
    });
  }
  return { path, display: path, uri, cacheDir };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Identifies a model file's content without hashing gigabytes: sha256 of its header and metadata, its
 * size, and 16 samples of 4 KiB spread over the tensor data (so a fine-tune with the same metadata
 * differs too). It is the port's cacheIdentity: replacing the file invalidates cached answers.
 */
export function modelFingerprint(path: string, meta: GgufMetadata): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  const read = (pos: number, length: number, buf: Buffer) => {
    const n = readSync(fd, buf, 0, length, pos);
    hash.update(buf.subarray(0, n));
    return n;
  };
  try {
    const buf = Buffer.alloc(1 << 20);
    for (let pos = 0; pos < meta.metadataEnd; ) {
      const n = read(pos, Math.min(buf.length, meta.metadataEnd - pos), buf);
      if (n === 0) break;
      pos += n;
    }
    const rest = meta.fileSize - meta.metadataEnd;
    const SAMPLES = 16;
    const SAMPLE = 4096;
    for (let i = 0; i < SAMPLES && rest > 0; i++)
      read(meta.metadataEnd + Math.floor((rest * i) / SAMPLES), Math.min(SAMPLE, rest), buf);
  } finally {
    closeSync(fd);
  }
  hash.update(`\n${meta.fileSize}`);
  return hash.digest('hex').slice(0, 12);
}

function defaultRuntimeInstalled(): boolean {
  try {
    import.meta.resolve('node-llama-cpp');
    return true;
  } catch {
    return false;
  }
}

const defaultImportRuntime = (): Promise<Runtime> => import('node-llama-cpp');

/** A loaded model file: the model, its contexts (one per thread count) and the queue its calls wait in. */
interface LoadedModel {
  model: LlamaModel;
  chatWrapper: ChatWrapper;
  /** Which wrapper was chosen and why (docs/local-models.md, "Chat template"). */
  chatWrapperSource: 'file' | 'fallback';
  contexts: Map<number, Promise<{ context: LlamaContext; sequence: LlamaContextSequence }>>;
  grammars: Map<string, Promise<LlamaGrammar | undefined>>;
  tail: Promise<void>;
}

/** One node-llama-cpp runtime (per importer): the Llama instance and the models loaded in it. */
interface RuntimeHost {
  runtime: Promise<Runtime>;
  llama?: Promise<LlamaRuntime>;
  models: Map<string, Promise<LoadedModel>>;
}

const hosts = new Map<() => Promise<Runtime>, RuntimeHost>();

function hostFor(importRuntime: () => Promise<Runtime>): RuntimeHost {
  let host = hosts.get(importRuntime);
  if (!host) {
    const runtime = importRuntime().catch((e: unknown) => {
      hosts.delete(importRuntime);
      throw runtimeError(e);
    });
    host = { runtime, models: new Map() };
    hosts.set(importRuntime, host);
  }
  return host;
}

function runtimeError(e: unknown): ModelCallError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return new ModelCallError(
    missing
      ? RUNTIME_MISSING_MESSAGE
      : `the local model runtime (node-llama-cpp) failed to load: ${errorText(e)}`,
    { kind: 'client', retryable: false, cause: e },
  );
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function llamaOf(host: RuntimeHost): Promise<LlamaRuntime> {
  host.llama ??= (async () => {
    const rt = await host.runtime;
    try {
      // gpu: false — CPU only, no GPU probing; build: 'never' — never compile or download llama.cpp.
      return await rt.getLlama({
        gpu: false,
        build: 'never',
        logLevel: rt.LlamaLogLevel.error,
        progressLogs: false,
      });
    } catch (e) {
      host.llama = undefined;
      throw new ModelCallError(
        `node-llama-cpp has no usable prebuilt llama.cpp binary for this platform (${process.platform}-${process.arch}): ${errorText(e)}`,
        { kind: 'client', retryable: false, cause: e },
      );
    }
  })();
  return host.llama;
}

async function loadModel(host: RuntimeHost, file: LocalModelFile, meta: GgufMetadata): Promise<LoadedModel> {
  let loaded = host.models.get(file.path);
  if (!loaded) {
    loaded = (async () => {
      const rt = await host.runtime;
      const llama = await llamaOf(host);
      let model: LlamaModel;
      try {
        model = await llama.loadModel({ modelPath: file.path });
      } catch (e) {
        throw new ModelCallError(`${file.display}: llama.cpp could not load the model: ${errorText(e)}`, {
          kind: 'client',
          retryable: false,
          cause: e,
        });
      }
      const { chatWrapper, source } = chooseChatWrapper(rt, model, meta);
      return {
        model,
        chatWrapper,
        chatWrapperSource: source,
        contexts: new Map(),
        grammars: new Map(),
        tail: Promise.resolve(),
      };
    })();
    loaded.catch(() => host.models.delete(file.path));
    host.models.set(file.path, loaded);
  }
  return loaded;
}

/**
 * The chat template: the file's own (`tokenizer.chat_template`), as node-llama-cpp resolves it — a
 * specialised wrapper when the template is a known one (ChatML, Llama 3, Gemma, Qwen…), else the Jinja
 * template rendered as is. Fallback, when the file has no template or it cannot be used: ChatML.
 */
function chooseChatWrapper(
  rt: Runtime,
  model: LlamaModel,
  meta: GgufMetadata,
): { chatWrapper: ChatWrapper; source: 'file' | 'fallback' } {
  if (meta.chatTemplate) {
    try {
      const resolved = rt.resolveChatWrapper({
        bosString: model.tokens.bosString,
        filename: model.filename,
        fileInfo: model.fileInfo,
        tokenizer: model.tokenizer,
        warningLogs: false,
        fallbackToOtherWrappersOnJinjaError: false,
      });
      if (resolved) return { chatWrapper: resolved, source: 'file' };
    } catch {
      // an unusable Jinja template: fall back
    }
  }
  return { chatWrapper: new rt.ChatMLChatWrapper(), source: 'fallback' };
}

async function contextOf(
  loaded: LoadedModel,
  threads: number,
): Promise<{ context: LlamaContext; sequence: LlamaContextSequence }> {
  let entry = loaded.contexts.get(threads);
  if (!entry) {
    entry = (async () => {
      const context = await loaded.model.createContext({
        contextSize: { max: MAX_CONTEXT_TOKENS },
        sequences: 1,
        threads,
      });
      return { context, sequence: context.getSequence() };
    })();
    entry.catch(() => loaded.contexts.delete(threads));
    loaded.contexts.set(threads, entry);
  }
  return entry;
}

/**
 * The JSON-schema grammar for an output schema (cached per schema). `undefined` when node-llama-cpp
 * cannot compile the schema: the answer is then unconstrained, and the prompt's checks still judge it.
 */
function grammarOf(
  llama: LlamaRuntime,
  loaded: LoadedModel,
  schema: JsonSchema,
): Promise<LlamaGrammar | undefined> {
  const key = JSON.stringify(schema);
  let g = loaded.grammars.get(key);
  if (!g) {
    g = (llama.createGrammarForJsonSchema(schema as never) as Promise<LlamaGrammar>).catch(() => undefined);
    loaded.grammars.set(key, g);
  }
  return g;
}

/** Runs `fn` after every earlier call on this model has finished (a local model serves one call at a time). */
function enqueue<T>(loaded: LoadedModel, fn: () => Promise<T>): Promise<T> {
  const run = loaded.tail.then(fn);
  loaded.tail = run.then(
    () => {},
    () => {},
  );
  return run;
}

/** Chat messages → node-llama-cpp chat history. A trailing assistant message is a prefix the answer continues. */
export function toChatHistory(messages: readonly ChatMessage[]): {
  history: ChatHistoryItem[];
  prefix: string;
} {
  const history: ChatHistoryItem[] = [];
  for (const m of messages) {
    if (m.role === 'system') history.push({ type: 'system', text: m.content });
    else if (m.role === 'assistant') history.push({ type: 'model', response: [m.content] });
    else history.push({ type: 'user', text: m.role === 'tool' ? `Tool result:\n${m.content}` : m.content });
  }
  const last = history.at(-1);
  if (last?.type === 'model') return { history, prefix: String(last.response[0] ?? '') };
  history.push({ type: 'model', response: [] });
  return { history, prefix: '' };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Assay settings → node-llama-cpp generation options (see docs/local-models.md, "Settings"). */
export function generationOptions(settings: ModelSettings) {
  const penalty = num(settings.repeatPenalty);
  const presencePenalty = num(settings.presencePenalty);
  const frequencyPenalty = num(settings.frequencyPenalty);
  const repeatPenalty =
    penalty !== undefined || presencePenalty !== undefined || frequencyPenalty !== undefined
      ? { penalty: penalty ?? 1, presencePenalty, frequencyPenalty }
      : (false as const);
  return {
    temperature: num(settings.temperature) ?? 0,
    topP: num(settings.topP),
    topK: num(settings.topK),
    minP: num(settings.minP),
    seed: num(settings.seed),
    maxTokens: num(settings.maxTokens),
    repeatPenalty,
    customStopTriggers: Array.isArray(settings.stop)
      ? settings.stop.filter((s): s is string => typeof s === 'string' && s !== '')
      : undefined,
  };
}

const finishReasons: Record<string, string> = {
  eogToken: 'stop',
  stopGenerationTrigger: 'stop',
  customStopTrigger: 'stop',
  maxTokens: 'length',
  functionCalls: 'tool-calls',
  abort: 'abort',
};

/** A `local:` model port. Throws a ConfigError when the model file is missing or malformed. */
export function createLocalModel(opts: LocalModelOptions, deps: LocalModelDeps = {}): ModelPort {
  const { config } = opts;
  const file = locateLocalModel(opts);
  const meta = readGgufMetadata(file.path, file.display);
  if (!(deps.runtimeInstalled ?? defaultRuntimeInstalled)()) throw new ConfigError(RUNTIME_MISSING_MESSAGE);
  const importRuntime = deps.importRuntime ?? defaultImportRuntime;
  const threads = config.threads ?? defaultThreads();
  const responseModel = meta.name ?? basename(file.path);
  let cacheCheck: Promise<void> | undefined;

  return {
    id: config.id,
    provider: 'local',
    modelName: basename(file.path),
    // The file's content, not its path: cached answers follow the model (and survive a move).
    cacheIdentity: `gguf:${modelFingerprint(file.path, meta)}`,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const { signal } = request;
      signal?.throwIfAborted();
      if (request.tools && request.tools.length > 0)
        throw new ModelCallError(
          `${config.id}: local models do not support tools yet (prompts with tools: and agent suites need a hosted model, openai-compatible: or fake:)`,
          { kind: 'client', retryable: false },
        );
      const host = hostFor(importRuntime);
      cacheCheck ??= checkCached(file);
      await cacheCheck;
      const loaded = await loadModel(host, file, meta);
      const llama = await llamaOf(host);
      return enqueue(loaded, async () => {
        signal?.throwIfAborted();
        const { context, sequence } = await contextOf(loaded, threads);
        const grammar = request.outputSchema
          ? await grammarOf(llama, loaded, request.outputSchema)
          : undefined;
        const rt = await host.runtime;
        const { history, prefix } = toChatHistory(request.messages);
        const options = generationOptions(request.settings);
        const { contextText } = loaded.chatWrapper.generateContextState({ chatHistory: history });
        const promptTokens = contextText.tokenize(loaded.model.tokenizer).length;
        const room = context.contextSize - promptTokens;
        if (room < 1)
          throw new ModelCallError(
            `${config.id}: the prompt is ${promptTokens} tokens; the model's context holds ${context.contextSize}`,
            { kind: 'client', retryable: false },
          );
        // Each call starts from an empty sequence: answers do not depend on earlier calls.
        await sequence.clearHistory();
        const before = {
          input: sequence.tokenMeter.usedInputTokens,
          output: sequence.tokenMeter.usedOutputTokens,
        };
        const chat = new rt.LlamaChat({ contextSequence: sequence, chatWrapper: loaded.chatWrapper });
        const started = performance.now();
        try {
          const result = await chat.generateResponse(history, {
            ...options,
            // Never let the answer overflow the context (node-llama-cpp would silently drop earlier turns).
            maxTokens: Math.min(options.maxTokens ?? room, room),
            ...(grammar ? { grammar } : {}),
            signal,
          });
          const latencyMs = performance.now() - started;
          const inputTokens = sequence.tokenMeter.usedInputTokens - before.input;
          const outputTokens = sequence.tokenMeter.usedOutputTokens - before.output;
          const text =
            prefix && result.response.startsWith(prefix)
              ? result.response.slice(prefix.length)
              : result.response;
          return {
            text,
            toolCalls: [],
            usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
            latencyMs,
            finishReason: finishReasons[result.metadata.stopReason] ?? result.metadata.stopReason,
            responseModel,
          };
        } catch (e) {
          if (signal?.aborted) throw signal.reason;
          throw new ModelCallError(`${config.id}: generation failed: ${errorText(e)}`, {
            kind: 'client',
            retryable: false,
            cause: e,
          });
        } finally {
          chat.dispose({ disposeSequence: false });
        }
      });
    },
  };
}

/** A model named by URI is still complete in the cache (the resolver also checks the size `pull` recorded). */
async function checkCached(file: LocalModelFile): Promise<void> {
  if (file.uri === undefined) return;
  if ((await resolveLocalModel(file.uri, { cacheDir: file.cacheDir })) === undefined)
    throw new ModelCallError(
      `${file.uri} is no longer complete in the models cache (${file.path}); pull it again`,
      {
        kind: 'client',
        retryable: false,
      },
    );
}

/** The `local` provider; `deps` replace the runtime importer (tests simulate a missing install with it). */
export function localModelFactory(deps: LocalModelDeps = {}): ProviderFactory {
  return (ctx) =>
    createLocalModel({ config: ctx.config, name: ctx.name, root: ctx.root, env: ctx.env }, deps);
}

/** Frees every loaded model and the runtime (tests; a CLI process just exits). */
export async function closeLocalModels(): Promise<void> {
  const all = [...hosts.values()];
  hosts.clear();
  for (const host of all) {
    const llama = await host.llama?.catch(() => undefined);
    await llama?.dispose();
  }
}
