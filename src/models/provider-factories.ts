import type { LanguageModel } from 'ai';
import type { ModelConfig } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import { createFakeModel } from './fake-model.ts';
import { createFileTarget } from './file-target.ts';
import { createHttpTarget } from './http-target.ts';
import { localModelFactory } from './local/local-model.ts';
import { ModelCallError, type ModelPort, type ModelRequest, type ModelResponse } from './model-port.ts';

/**
 * The provider table: provider prefix → factory building a ModelPort from one configured model. Adding a
 * provider is one entry here. Vendor packages are imported on first resolve (node-llama-cpp at the first
 * local: call), so loading this module never loads the AI SDK.
 */

export interface ProviderContext {
  config: ModelConfig;
  /** The part before the first colon of `config.id`. */
  provider: string;
  /** The part after it. */
  name: string;
  /** Absolute project root (for project-relative files such as a fake script). */
  root: string;
  /** Where API keys and `${VAR}` header references are read from. */
  env: NodeJS.ProcessEnv;
  /** Custom fetch (record/replay, tests); default the global one. */
  fetch?: typeof fetch;
}

export type ProviderFactory = (ctx: ProviderContext) => ModelPort;

const envRef = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Names of the environment variables a model's header values reference. */
export function headerEnvRefs(
  headers: Record<string, string> | undefined,
): { header: string; variable: string }[] {
  const refs: { header: string; variable: string }[] = [];
  for (const [header, value] of Object.entries(headers ?? {}))
    for (const m of value.matchAll(envRef)) refs.push({ header, variable: m[1] as string });
  return refs;
}

/** Resolves `${VAR}` in header values now (call time). Returns the headers and the secret values used. */
export function resolveHeaders(
  config: ModelConfig,
  env: NodeJS.ProcessEnv,
): { headers: Record<string, string>; secrets: string[] } {
  const headers: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config.headers ?? {})) {
    headers[name] = value.replace(envRef, (_, variable: string) => {
      const v = env[variable];
      if (v === undefined || v === '')
        throw new ModelCallError(`${config.id}: header ${name} needs \${${variable}}, which is not set`, {
          kind: 'client',
          retryable: false,
        });
      secrets.push(v);
      return v;
    });
  }
  return { headers, secrets };
}

/** A port whose implementation is built at the first call. */
function lazyPort(
  id: string,
  provider: string,
  modelName: string,
  load: () => Promise<ModelPort>,
): ModelPort {
  let loading: Promise<ModelPort> | undefined;
  const get = () => {
    loading ??= load();
    return loading;
  };
  return {
    id,
    provider,
    modelName,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      return (await get()).generate(request);
    },
  };
}

interface BuildOptions {
  apiKey: string | undefined;
  baseURL: string | undefined;
  fetch: typeof fetch | undefined;
  modelName: string;
}

interface VendorSpec {
  /** Default key variable; undefined: no key unless `apiKeyEnv` is configured. */
  keyEnv?: string;
  /** Base URL variable honoured when the config gives none (the vendors' own convention). */
  baseUrlEnv?: string;
  defaultBaseUrl?: string;
  requiresBaseUrl?: boolean;
  optionsKey: string;
  baseProviderOptions?: Record<string, unknown>;
  /** Imports the vendor package (at resolve time) and returns the builder of its model. */
  load: () => Promise<(o: BuildOptions) => LanguageModel>;
  /** Vendor model name from the config (default: the part after the colon). */
  modelName?: (ctx: ProviderContext) => string;
  /** Offers `adapter: direct` (plain fetch to /chat/completions). */
  direct?: boolean;
}

function vendorFactory(spec: VendorSpec): ProviderFactory {
  return (ctx) => {
    const { config, env } = ctx;
    const id = config.id;
    const modelName = spec.modelName?.(ctx) ?? config.model ?? ctx.name;
    const keyEnv = config.apiKeyEnv ?? spec.keyEnv;
    if (keyEnv !== undefined && !env[keyEnv])
      throw new ConfigError(`${keyEnv} is not set: export it or configure another model`, {
        hint: config.apiKeyEnv ? `model ${id} reads its key from apiKeyEnv: ${config.apiKeyEnv}` : undefined,
      });
    for (const { header, variable } of headerEnvRefs(config.headers))
      if (!env[variable])
        throw new ConfigError(`header ${header} of model ${id} needs \${${variable}}, which is not set`, {
          hint: `export ${variable} or remove the header`,
        });
    const baseURL =
      config.baseUrl ?? (spec.baseUrlEnv ? env[spec.baseUrlEnv] : undefined) ?? spec.defaultBaseUrl;
    if (spec.requiresBaseUrl && !baseURL)
      throw new ConfigError(`model ${id} needs a base URL`, {
        field: 'baseUrl',
        expected: 'the server URL ending in /v1, e.g. http://127.0.0.1:11434/v1 for Ollama',
      });
    if (baseURL !== undefined && !URL.canParse(baseURL))
      throw new ConfigError(`'${baseURL}' is not a URL`, {
        field: 'baseUrl',
        expected: 'http(s)://HOST[:PORT]/PATH',
      });
    const hasHeaders = config.headers !== undefined && Object.keys(config.headers).length > 0;
    let lastSecrets: string[] = [];
    const headers = hasHeaders
      ? () => {
          const r = resolveHeaders(config, env);
          lastSecrets = r.secrets;
          return r.headers;
        }
      : undefined;
    // openai-compatible defaults to the direct adapter: measured 0.24 vs 0.51 ms CPU per call (decision 0004).
    const adapter = config.adapter ?? (spec.direct ? 'direct' : 'ai-sdk');
    if (adapter !== 'ai-sdk' && !(adapter === 'direct' && spec.direct))
      throw new ConfigError(`adapter '${String(adapter)}' is not available for model ${id}`, {
        field: 'adapter',
        expected: spec.direct ? 'ai-sdk or direct' : 'ai-sdk (direct is for openai-compatible: models)',
      });
    if (adapter === 'direct') {
      const direct = import('./openai-compatible-direct.ts');
      direct.catch(() => {});
      return lazyPort(id, ctx.provider, modelName, async () => {
        const { createOpenAICompatibleDirect } = await direct;
        const apiKey = keyEnv !== undefined ? env[keyEnv] : undefined;
        return createOpenAICompatibleDirect({
          id,
          provider: ctx.provider,
          modelName,
          baseURL: baseURL as string,
          apiKey,
          headers,
          secrets: () => (apiKey ? [apiKey, ...lastSecrets] : lastSecrets),
          fetch: ctx.fetch,
        });
      });
    }
    // Imports start now (first resolve), in the background; the first call awaits them.
    const modules = Promise.all([import('./ai-sdk-model.ts'), spec.load()]);
    modules.catch(() => {});
    return lazyPort(id, ctx.provider, modelName, async () => {
      const [{ createAiSdkModel }, build] = await modules;
      // The key is read here, at the first call, and lives only in the vendor client's closure.
      const apiKey = keyEnv !== undefined ? env[keyEnv] : undefined;
      const languageModel = build({ apiKey, baseURL, fetch: ctx.fetch, modelName });
      return createAiSdkModel({
        id,
        provider: ctx.provider,
        modelName,
        languageModel,
        providerOptionsKey: spec.optionsKey,
        baseProviderOptions: spec.baseProviderOptions,
        headers,
        secrets: () => (apiKey ? [apiKey, ...lastSecrets] : lastSecrets),
      });
    });
  };
}

/** `openai-compatible:` models use this provider name (providerOptions key, provider metadata key). */
export const COMPATIBLE_PROVIDER_NAME = 'assay';

export const providerFactories: ReadonlyMap<string, ProviderFactory> = new Map<string, ProviderFactory>([
  [
    'openai',
    vendorFactory({
      keyEnv: 'OPENAI_API_KEY',
      baseUrlEnv: 'OPENAI_BASE_URL',
      defaultBaseUrl: 'https://api.openai.com/v1',
      optionsKey: 'openai',
      // Prompt schemas are rarely written for OpenAI's strict mode; a non-strict schema is still enforced.
      baseProviderOptions: { strictJsonSchema: false },
      load: async () => {
        const { createOpenAI } = await import('@ai-sdk/openai');
        // .chat(): chat completions; the default export would call the Responses API.
        return ({ apiKey, baseURL, fetch, modelName }) =>
          createOpenAI({ apiKey, baseURL, fetch }).chat(modelName);
      },
    }),
  ],
  [
    'anthropic',
    vendorFactory({
      keyEnv: 'ANTHROPIC_API_KEY',
      baseUrlEnv: 'ANTHROPIC_BASE_URL',
      defaultBaseUrl: 'https://api.anthropic.com/v1',
      optionsKey: 'anthropic',
      load: async () => {
        const { createAnthropic } = await import('@ai-sdk/anthropic');
        return ({ apiKey, baseURL, fetch, modelName }) =>
          createAnthropic({ apiKey, baseURL, fetch })(modelName);
      },
    }),
  ],
  [
    'google',
    vendorFactory({
      keyEnv: 'GOOGLE_GENERATIVE_AI_API_KEY',
      defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta',
      optionsKey: 'google',
      load: async () => {
        const { createGoogleGenerativeAI } = await import('@ai-sdk/google');
        return ({ apiKey, baseURL, fetch, modelName }) =>
          createGoogleGenerativeAI({ apiKey, baseURL, fetch })(modelName);
      },
    }),
  ],
  [
    'openai-compatible',
    vendorFactory({
      requiresBaseUrl: true,
      direct: true,
      optionsKey: COMPATIBLE_PROVIDER_NAME,
      baseProviderOptions: { strictJsonSchema: false },
      load: async () => {
        const { createOpenAICompatible } = await import('@ai-sdk/openai-compatible');
        return ({ apiKey, baseURL, fetch, modelName }) =>
          createOpenAICompatible({
            name: COMPATIBLE_PROVIDER_NAME,
            baseURL: baseURL as string,
            apiKey,
            fetch,
            supportsStructuredOutputs: true,
          })(modelName);
      },
    }),
  ],
  ['fake', (ctx) => createFakeModel(ctx.config, { root: ctx.root })],
  // A team's own application as a target: an HTTP endpoint, or a function in a project module.
  ['http', createHttpTarget],
  ['file', createFileTarget],
  // GGUF files on node-llama-cpp, imported at the first call (docs/local-models.md).
  ['local', localModelFactory()],
]);
