import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ModelConfig } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { credentialValues } from '../models/credential-values.ts';
import type { ModelPort } from '../models/model-port.ts';
import { createModelRegistry } from '../models/model-registry.ts';
import { recordingPort, replayPort } from '../models/record-replay.ts';
import { withModelHelp } from './no-model-help.ts';

export interface RunModelsOptions {
  /** Absolute project root. */
  root: string;
  /** Folder `record` and `replay` are resolved against. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Record every answered call into this folder. */
  record?: string;
  /** Answer every call from the recordings in this folder (no real adapter, no key, no network). */
  replay?: string;
}

export interface RunModels {
  resolve(id: string): ModelPort;
}

/** Providers whose vendor model name is `model:` when configured, else the id's name. */
const namedByConfig = new Set(['openai', 'anthropic', 'google', 'openai-compatible']);

/**
 * The ports a run calls, every one resolved now so a missing key or a bad id fails before anything is
 * sent (exit 2). With `replay` no real adapter is built: the registry is not consulted, so no key is
 * needed. With `record` each real port is wrapped by a recording one.
 */
export function openRunModels(configs: ModelConfig[], opts: RunModelsOptions): RunModels {
  if (opts.record !== undefined && opts.replay !== undefined)
    throw new AssayError('--record and --replay cannot be used together: record a run, then replay it', 2);
  const ports = new Map<string, ModelPort>();
  if (opts.replay !== undefined) {
    const dir = resolve(opts.cwd, opts.replay);
    if (!isDirectory(dir))
      throw new AssayError(
        `replay folder ${dir} does not exist; record one with \`assay eval --record DIR\``,
        2,
      );
    for (const m of configs) ports.set(m.id, replayPort(m.id, dir, { modelName: replayModelName(m) }));
  } else {
    const registry = createModelRegistry(configs, { root: opts.root, env: opts.env });
    const dir = opts.record !== undefined ? resolve(opts.cwd, opts.record) : undefined;
    const secrets = dir !== undefined ? credentialValues(configs, opts.env) : [];
    for (const m of configs) {
      const port = withModelHelp(() => registry.resolve(m.id), m.id);
      ports.set(m.id, dir !== undefined ? recordingPort(port, dir, { secrets }) : port);
    }
  }
  return {
    resolve(id: string): ModelPort {
      const port = ports.get(id);
      if (!port) throw new ConfigError(`model ${id} is not configured; add it to models: in assay.yaml`);
      return port;
    },
  };
}

/** The vendor model name the real adapter would use, when it follows from the config alone. */
function replayModelName(m: ModelConfig): string | undefined {
  const provider = m.id.slice(0, Math.max(0, m.id.indexOf(':')));
  if (provider === 'fake') return m.id.slice(provider.length + 1);
  if (namedByConfig.has(provider)) return m.model ?? m.id.slice(provider.length + 1);
  return undefined; // e.g. local: the name the recording was made with
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
