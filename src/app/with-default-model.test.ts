import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import { DEFAULT_LOCAL_MODEL } from '../models/local/default-local-model.ts';
import { modelCachePath } from '../models/local/model-cache.ts';
import { withNoNetwork } from '../test-helpers/with-no-network.ts';
import { selectModels } from './evaluate.ts';
import { defaultLocalModelConfig, withDefaultModel } from './with-default-model.ts';

const project = (models: Project['models']) => ({ models, configFile: 'assay.yaml' }) as unknown as Project;

describe('withDefaultModel', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-default-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses local:default when no model is named and the default model is pulled', async () => {
    writeFileSync(modelCachePath('default', { cacheDir: dir }), 'GGUF…');
    const p = await withDefaultModel(project([]), { env: { ASSAY_MODELS_DIR: dir } });
    expect(p.models).toEqual([{ id: 'local:default', model: DEFAULT_LOCAL_MODEL.uri }]);
  });

  it('stops with the ways out (exit 2) when it is not pulled, whatever keys the environment holds', async () => {
    writeFileSync(`${modelCachePath('default', { cacheDir: dir })}.partial`, 'GG'); // an interrupted pull
    const env = { ASSAY_MODELS_DIR: dir, OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test' };
    const err = await withNoNetwork(() => withDefaultModel(project([]), { env }).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(
      /^assay\.yaml: models: no model is configured and the default local model/,
    );
    expect((err as Error).message).toContain('`assay models pull`');
  });

  it('leaves the project alone when a model is configured, named, or a run is resumed', async () => {
    const configured = project([{ id: 'fake:echo' }]);
    expect(await withDefaultModel(configured, { env: { ASSAY_MODELS_DIR: dir } })).toBe(configured);
    const empty = project([]);
    expect(await withDefaultModel(empty, { models: ['fake:echo'], env: { ASSAY_MODELS_DIR: dir } })).toBe(
      empty,
    );
    expect(await withDefaultModel(empty, { resume: 'latest', env: { ASSAY_MODELS_DIR: dir } })).toBe(empty);
  });

  it('`--model local:default` maps to the default model URI', () => {
    expect(selectModels(project([]), ['local:default'])).toEqual([defaultLocalModelConfig]);
  });
});
