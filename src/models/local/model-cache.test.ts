import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/errors.ts';
import { DEFAULT_LOCAL_MODEL } from './default-local-model.ts';
import {
  listLocalModels,
  modelCacheFileName,
  modelCachePath,
  modelDownloadUrl,
  modelsCacheDir,
  parseModelUri,
  resolveLocalModel,
  writeSidecar,
} from './model-cache.ts';

describe('parseModelUri', () => {
  it('splits owner, repo, path and revision (default main)', () => {
    expect(parseModelUri('hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf')).toEqual({
      uri: 'hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf',
      owner: 'Qwen',
      repo: 'Qwen2.5-0.5B-Instruct-GGUF',
      path: 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
      revision: 'main',
    });
    expect(parseModelUri('hf:a/b/sub/dir/m.GGUF@v1.2')).toMatchObject({
      path: 'sub/dir/m.GGUF',
      revision: 'v1.2',
    });
    expect(parseModelUri('hf:a/b/m.gguf@main').uri).toBe('hf:a/b/m.gguf');
  });

  it('`default` is the default local model', () => {
    expect(parseModelUri('default').uri).toBe(DEFAULT_LOCAL_MODEL.uri);
    expect(parseModelUri(DEFAULT_LOCAL_MODEL.uri).path).toBe(DEFAULT_LOCAL_MODEL.file);
  });

  it.each([
    ['Qwen/x/y.gguf', /must start with hf:/],
    ['hf:a/b.gguf', /owner, a repository and a file/],
    ['hf:a/b/c.bin', /\.gguf file/],
    ['hf:a/b/../c.gguf', /not a valid path part/],
    ['hf:a//c.gguf', /not a valid path part/],
    ['hf:a/b/c.gguf@', /not a revision/],
    ['hf:a/b/c.gguf@x y', /not a revision/],
  ])('%s is a ConfigError (exit 2)', (uri, message) => {
    let err: unknown;
    try {
      parseModelUri(uri);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/expected hf:OWNER\/REPO\/FILE\.gguf/);
  });
});

describe('download URL and cache names', () => {
  it('builds the resolve URL (ASSAY_HF_ENDPOINT overrides the host)', () => {
    const ref = parseModelUri('hf:a/b/sub/m.gguf@refs/pr/1');
    expect(modelDownloadUrl(ref, {})).toBe('https://huggingface.co/a/b/resolve/refs%2Fpr%2F1/sub/m.gguf');
    expect(
      modelDownloadUrl(parseModelUri('hf:a/b/m.gguf'), { ASSAY_HF_ENDPOINT: 'http://127.0.0.1:9/' }),
    ).toBe('http://127.0.0.1:9/a/b/resolve/main/m.gguf');
    expect(modelDownloadUrl(parseModelUri(DEFAULT_LOCAL_MODEL.uri), {})).toBe(
      'https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/9217f5db79a29953eb74d5343926648285ec7e67/qwen2.5-0.5b-instruct-q4_k_m.gguf',
    );
  });

  it('names files after owner, repo, revision (unless main) and path', () => {
    expect(modelCacheFileName(parseModelUri('hf:a/b/m.gguf'))).toBe('hf_a_b_m.gguf');
    expect(modelCacheFileName(parseModelUri('hf:a/b/m_q4.gguf@v1'))).toBe('hf_a_b@v1_m_q4.gguf');
    expect(modelCacheFileName(parseModelUri('hf:a/b/sub/m.gguf'))).toMatch(
      /^hf_a_b_sub_m~[0-9a-f]{12}\.gguf$/,
    );
    expect(modelCacheFileName(parseModelUri('hf:a/b/m.gguf@refs/pr/1'))).toMatch(
      /^hf_a_b@refs-pr-1_m~[0-9a-f]{12}\.gguf$/,
    );
    // the default model keeps its documented name
    expect(modelCacheFileName(parseModelUri('default'))).toBe(
      'hf_Qwen_Qwen2.5-0.5B-Instruct-GGUF@9217f5db79a29953eb74d5343926648285ec7e67_qwen2.5-0.5b-instruct-q4_k_m.gguf',
    );
  });

  it('gives different URIs different files (no collisions through `_`, `/` or `@`)', () => {
    const uris = [
      'hf:a_b/c/x.gguf',
      'hf:a/b_c/x.gguf',
      'hf:a/b/c_x.gguf',
      'hf:a/b/c/x.gguf',
      'hf:a/b/x.gguf@v1/x',
      'hf:a/b/x.gguf@v1-x',
      'hf:a/b/v1-x_x.gguf',
      'hf:a/b/x.gguf@v_1',
      'hf:a/b/x.gguf',
      'hf:a/b/x.gguf@main',
    ];
    const names = new Map<string, string>();
    for (const u of uris) names.set(parseModelUri(u).uri, modelCacheFileName(parseModelUri(u)));
    expect(new Set(names.values()).size).toBe(names.size);
    expect(names.size).toBe(uris.length - 1); // @main is the same URI as no revision
  });

  it('cache dir: ASSAY_MODELS_DIR, else absolute XDG_CACHE_HOME, else ~/.cache', () => {
    expect(modelsCacheDir({ ASSAY_MODELS_DIR: '/m', XDG_CACHE_HOME: '/x' })).toBe('/m');
    expect(modelsCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/assay/models');
    expect(modelsCacheDir({ XDG_CACHE_HOME: 'relative' })).toBe(join(homedir(), '.cache/assay/models'));
    expect(modelsCacheDir({})).toBe(join(homedir(), '.cache/assay/models'));
  });
});

describe('resolveLocalModel and listLocalModels', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-cache-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('treats a file whose sidecar records another URI as absent', async () => {
    const uri = 'hf:a/b/m.gguf';
    const path = modelCachePath(uri, { cacheDir: dir });
    writeFileSync(path, 'GGUF1234');
    const sidecar = { url: 'u', sha256: 'f'.repeat(64), verified: true, size: 8, pulledAt: 'x' };
    await writeSidecar(path, { uri: 'hf:a/b/m.gguf@v2', ...sidecar });
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBeUndefined();
    await writeSidecar(path, { uri: 'hf:a/b/m.gguf@main', ...sidecar }); // same URI, other spelling
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBe(path);
  });

  it('finds a complete model only; a partial, an empty file or a size the sidecar contradicts is absent', async () => {
    const uri = 'hf:a/b/m.gguf';
    const path = modelCachePath(uri, { cacheDir: dir });
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBeUndefined();
    writeFileSync(`${path}.partial`, 'GGUF…');
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBeUndefined();
    writeFileSync(path, '');
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBeUndefined();
    writeFileSync(path, 'GGUF1234');
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBe(path); // copied in by hand: no sidecar needed
    await writeSidecar(path, {
      uri,
      url: 'u',
      sha256: 'a'.repeat(64),
      verified: true,
      size: 99,
      pulledAt: 't',
    });
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBeUndefined();
    await writeSidecar(path, {
      uri,
      url: 'u',
      sha256: 'a'.repeat(64),
      verified: true,
      size: 8,
      pulledAt: 't',
    });
    expect(await resolveLocalModel(uri, { cacheDir: dir })).toBe(path);
    expect(await resolveLocalModel('hf:a/b/m.gguf@other', { cacheDir: dir })).toBeUndefined();
  });

  it('lists models with their sidecar data, and interrupted downloads as incomplete', async () => {
    expect(await listLocalModels({ cacheDir: join(dir, 'nope') })).toEqual([]);
    const a = modelCachePath('hf:a/b/m.gguf', { cacheDir: dir });
    writeFileSync(a, 'GGUF1234');
    await writeSidecar(a, {
      uri: 'hf:a/b/m.gguf',
      url: 'u',
      sha256: 'f'.repeat(64),
      verified: true,
      size: 8,
      pulledAt: '2026-01-01T00:00:00.000Z',
    });
    const def = modelCachePath('default', { cacheDir: dir });
    writeFileSync(`${def}.partial`, 'GG');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'sub.gguf'));
    const list = await listLocalModels({ cacheDir: dir });
    expect(list).toEqual([
      {
        name: 'hf_Qwen_Qwen2.5-0.5B-Instruct-GGUF@9217f5db79a29953eb74d5343926648285ec7e67_qwen2.5-0.5b-instruct-q4_k_m.gguf.partial',
        uri: DEFAULT_LOCAL_MODEL.uri,
        size: 2,
        sha256: undefined,
        verified: undefined,
        pulledAt: undefined,
        path: `${def}.partial`,
        complete: false,
      },
      {
        name: 'hf_a_b_m.gguf',
        uri: 'hf:a/b/m.gguf',
        size: 8,
        sha256: 'f'.repeat(64),
        verified: true,
        pulledAt: '2026-01-01T00:00:00.000Z',
        path: a,
        complete: true,
      },
    ]);
  });
});
