import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { modelCachePath } from '../../src/models/local/model-cache.ts';
import { closedPort, type ModelFileServer, startModelFileServer } from '../local/model-file-server.ts';
import { cleanEnv, runCli } from './cli-harness.ts';

const URI = 'hf:test-org/tiny-GGUF/tiny-q4.gguf';
let server: ModelFileServer;
let models: string;

beforeAll(async () => {
  server = await startModelFileServer(1024 * 1024);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  models = mkdtempSync(join(tmpdir(), 'assay-models-'));
});
afterEach(() => {
  rmSync(models, { recursive: true, force: true });
});

const env = () => cleanEnv({ ASSAY_HF_ENDPOINT: server.endpoint, ASSAY_MODELS_DIR: models });

describe('assay models (CLI, loopback file server)', () => {
  it('pull --json, then list --json shows the model; a second pull sends nothing', async () => {
    const empty = await runCli(['models', 'list'], { env: env() });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/^no models in .*\nrun `assay models pull`/);

    const pull = await runCli(['models', 'pull', URI, '--json'], { env: env() });
    expect(pull.stderr).toBe('');
    expect(pull.code).toBe(0);
    const r = JSON.parse(pull.stdout);
    expect(r).toMatchObject({
      uri: URI,
      path: modelCachePath(URI, { cacheDir: models }),
      size: server.data.length,
      sha256: server.sha256,
      verified: true,
      verifiedAgainst: 'server',
      alreadyPresent: false,
    });

    const list = await runCli(['models', 'list', '--json'], { env: env() });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual({
      dir: models,
      models: [
        {
          name: 'hf_test-org_tiny-GGUF_tiny-q4.gguf',
          uri: URI,
          size: server.data.length,
          sha256: server.sha256,
          verified: true,
          pulledAt: expect.any(String),
          path: r.path,
          complete: true,
        },
      ],
    });
    const text = await runCli(['models', 'list'], { env: env() });
    expect(text.stdout).toMatch(/hf_test-org_tiny-GGUF_tiny-q4\.gguf\s+1\.0 MB\s+[0-9a-f]{12}\s+hf:test-org/);

    const before = server.requests.length;
    const again = await runCli(['models', 'pull', URI], { env: env() });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^already pulled: hf:test-org\/tiny-GGUF\/tiny-q4\.gguf\n/);
    expect(server.requests.length).toBe(before);
  });

  it('a bad URI exits 2; a checksum mismatch exits 3 and leaves no file', async () => {
    const bad = await runCli(['models', 'pull', 'hf:no-file'], { env: env() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^assay: 'hf:no-file' is not a model URI/);
    const badJson = await runCli(['models', 'pull', 'nope', '--json'], { env: env() });
    expect(badJson.code).toBe(2);
    expect(JSON.parse(badJson.stdout).error.exitCode).toBe(2);

    const wrong = await runCli(['models', 'pull', URI, '--sha256', '0'.repeat(64)], { env: env() });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/checksum mismatch/);
    expect(existsSync(modelCachePath(URI, { cacheDir: models }))).toBe(false);
    expect(existsSync(`${modelCachePath(URI, { cacheDir: models })}.partial`)).toBe(false);
  });

  it('offline (a refused loopback port) exits 3 within 10 s with the clear message', async () => {
    const port = await closedPort();
    const r = await runCli(['models', 'pull'], {
      env: cleanEnv({ ASSAY_HF_ENDPOINT: `http://127.0.0.1:${port}`, ASSAY_MODELS_DIR: models }),
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach 127\.0\.0\.1:\d+: connection refused — check your connection/);
    expect(r.ms).toBeLessThan(10_000);
  });
});
