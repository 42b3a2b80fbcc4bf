import { checkModelId, parseModelId } from '../core/config/model-id.ts';
import type { ModelConfig } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import type { ModelPort, ModelRequest } from './model-port.ts';
import { providerFactories } from './provider-factories.ts';

export interface ModelRegistryOptions {
  /** Absolute project root (for project-relative files such as a fake model's script). */
  root: string;
  /** Where API keys and `${VAR}` header references are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Custom fetch for every HTTP model (record/replay, tests). */
  fetch?: typeof fetch;
}

export interface ModelRegistry {
  /**
   * The port of a configured model. Unconfigured ids, unknown providers, a missing API key, a missing
   * `${VAR}` in a header or a bad fake script throw a ConfigError here, before anything is sent.
   */
  resolve(id: string): ModelPort;
  /** Configured ids, in config order. */
  ids(): string[];
}

/**
 * Resolves configured model ids to ports. Only ids in `models` resolve: a bare string is never routed to
 * a provider. Ports are built once per id; vendor SDKs load on the first resolve of their provider.
 */
export function createModelRegistry(models: ModelConfig[], opts: ModelRegistryOptions): ModelRegistry {
  const configs = new Map<string, ModelConfig>();
  for (const m of models) if (!configs.has(m.id)) configs.set(m.id, m);
  const ports = new Map<string, ModelPort>();
  const env = opts.env ?? process.env;

  return {
    ids: () => [...configs.keys()],
    resolve(id: string): ModelPort {
      const cached = ports.get(id);
      if (cached) return cached;
      const config = configs.get(id);
      if (!config) throw new ConfigError(`model ${id} is not configured; add it to models: in assay.yaml`);
      const parsed = parseModelId(id);
      if (!parsed) {
        const p = checkModelId(id);
        throw new ConfigError(p?.problem ?? `'${id}' is not a model id`, {
          expected: p?.expected,
          hint: p?.hint,
        });
      }
      const { provider, name } = parsed;
      const factory = providerFactories.get(provider);
      if (!factory)
        throw new ConfigError(`model ${id}: unknown provider '${provider}'`, {
          expected: `one of: ${[...providerFactories.keys()].join(', ')}`,
        });
      const port = withDefaultSettings(
        factory({ config, provider, name, root: opts.root, env, fetch: opts.fetch }),
        config,
      );
      ports.set(id, port);
      return port;
    },
  };
}

/** The model's configured `settings` under the request's own (the prompt's settings win). */
function withDefaultSettings(port: ModelPort, config: ModelConfig): ModelPort {
  const base = config.settings;
  if (!base || Object.keys(base).length === 0) return port;
  return {
    id: port.id,
    provider: port.provider,
    modelName: port.modelName,
    ...(port.cacheIdentity !== undefined ? { cacheIdentity: port.cacheIdentity } : {}),
    ...(port.keyByVars ? { keyByVars: true } : {}),
    generate: (request: ModelRequest) =>
      port.generate({ ...request, settings: { ...base, ...request.settings } }),
  };
}
