import { renderPrompt } from '../core/prompt/render-prompt.ts';
import type { ChatMessage, PromptSpec } from '../core/types.ts';
import { openRegistry } from './open-registry.ts';
import { resolvePromptRef } from './resolve-prompt-ref.ts';

export interface LoadPromptOptions {
  /** A label of `assay.labels.yaml` (e.g. `production`). */
  label?: string;
  /** A version or a unique prefix of one (≥ 4 characters). */
  version?: string;
  /** Project folder (default: process.cwd()). */
  cwd?: string;
  /** Config file, when not the default name in cwd. */
  config?: string;
}

export interface LoadedPrompt {
  name: string;
  version: string;
  /** Messages with `vars` filled in (defaults applied, types checked). */
  render(vars?: Record<string, unknown>): ChatMessage[];
  spec: PromptSpec;
}

/**
 * A prompt as a library call: the labelled or named version (from the run store, the current file, or
 * git history, so an edited file still serves the labelled version), or the current file.
 */
export async function loadPrompt(name: string, options: LoadPromptOptions = {}): Promise<LoadedPrompt> {
  const registry = await openRegistry({ cwd: options.cwd, config: options.config });
  try {
    const found = await resolvePromptRef(registry, name, { label: options.label, version: options.version });
    const spec = found.spec;
    return {
      name: found.name,
      version: found.version,
      spec,
      render: (vars = {}) => renderPrompt(spec, vars),
    };
  } finally {
    await registry.close();
  }
}
