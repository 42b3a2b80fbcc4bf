import type { ModelConfig, Project } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import { DEFAULT_LOCAL_MODEL, DEFAULT_LOCAL_MODEL_ID } from '../models/local/default-local-model.ts';
import { modelsCacheDir, resolveLocalModel } from '../models/local/model-cache.ts';
import { noModelMessage } from './no-model-help.ts';

/** The model config `local:default` runs under: the default local model's URI, looked up in the cache. */
export const defaultLocalModelConfig: ModelConfig = {
  id: DEFAULT_LOCAL_MODEL_ID,
  model: DEFAULT_LOCAL_MODEL.uri,
};

/**
 * When neither the config nor the command names a model, the run uses the default local model — if it
 * has been pulled. Otherwise it stops at once (exit 2) with the ways out. A hosted vendor is never picked
 * here, whatever keys the environment holds; nothing touches the network (one stat in the models cache).
 */
export async function withDefaultModel(
  project: Project,
  opts: { models?: string[]; resume?: string; env?: NodeJS.ProcessEnv },
): Promise<Project> {
  if (project.models.length > 0 || (opts.models?.length ?? 0) > 0 || opts.resume !== undefined)
    return project;
  const path = await resolveLocalModel(DEFAULT_LOCAL_MODEL.uri, {
    cacheDir: modelsCacheDir(opts.env ?? process.env),
  });
  if (!path) throw new ConfigError(noModelMessage(), { file: project.configFile, field: 'models' });
  return { ...project, models: [defaultLocalModelConfig] };
}
