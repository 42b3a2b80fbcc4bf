import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AssayError, ConfigError } from '../../src/core/errors.ts';
import {
  listLocalModels,
  modelCachePath,
  readSidecar,
  resolveLocalModel,
} from '../../src/models/local/model-cache.ts';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  PullError,
  pullModel,
} from '../../src/models/local/pull-model.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import {
  closedPort,
  type ModelFileServer,
  startModelFileServer,
  startSilentServer,
} from './model-file-server.ts';

const URI = 'hf:test-org/tiny-GGUF/tiny-q4.gguf';
let server: ModelFileServer;
let cacheDir: string;

beforeAll(async () => {
  server = await startModelFileServer(2 * 1024 * 1024);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'assay-models-'));
  server.requests.length = 0;
  server.announce(server.sha256);
  server.setEtag(null);
});
afterEach(() => {
  rmSync(cacheDir, { recursive: true, force: true });
});

/** Pull options against the loopback server (fast retries so the tests stay quick). */
function opts(extra: Parameters<typeof pullModel>[1] = {}): Parameters<typeof pullModel>[1] {
  return { cacheDir, env: { ASSAY_HF_ENDPOINT: server.endpoint }, retryDelayMs: 10, ...extra };
}

async function rejection(p: Promise<unknown>): Promise<AssayError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AssayError) return e;
    throw e;
  }
  throw new Error('expected the pull to fail');
}

describe('pullModel against a loopback file server', () => {
  it('follows the redirect, verifies the announced sha256 and lands where resolveLocalModel finds it', async () => {
    const progress: number[] = [];
    const r = await pullModel(URI, opts({ onProgress: (p) => progress.push(p.bytes) }));
    expect(r).toMatchObject({
      uri: URI,
      size: server.data.length,
      sha256: server.sha256,
      verified: true,
      verifiedAgainst: 'server',
      alreadyPresent: false,
      resumedFrom: 0,
      retries: 0,
    });
    expect(await resolveLocalModel(URI, { cacheDir })).toBe(r.path);
    expect(r.path).toBe(modelCachePath(URI, { cacheDir }));
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
    expect(existsSync(`${r.path}.partial`)).toBe(false);
    expect(await readSidecar(r.path)).toMatchObject({
      uri: URI,
      sha256: server.sha256,
      size: server.data.length,
      verified: true,
      url: `${server.endpoint}/test-org/tiny-GGUF/resolve/main/tiny-q4.gguf`,
    });
    expect(progress.at(-1)).toBe(server.data.length);
    expect(server.requests.map((q) => q.url)).toEqual([
      '/test-org/tiny-GGUF/resolve/main/tiny-q4.gguf',
      '/cdn/tiny-q4.gguf',
    ]);
    const [entry] = await listLocalModels({ cacheDir });
    expect(entry).toMatchObject({
      uri: URI,
      size: server.data.length,
      sha256: server.sha256,
      complete: true,
    });
  });

  it('resumes with Range after the connection drops mid-file, verifies, and lands in place', async () => {
    server.queueFaults({ dropAfter: 700_000 });
    const r = await pullModel(URI, opts({ sha256: server.sha256 }));
    expect(r.retries).toBe(1);
    expect(r.verified).toBe(true);
    expect(r.verifiedAgainst).toBe('option');
    const cdn = server.requests.filter((q) => q.url.startsWith('/cdn/'));
    expect(cdn).toHaveLength(2);
    expect(cdn[0]?.headers.range).toBeUndefined();
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(cdn[1]?.headers.range ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(0);
    expect(resumedAt).toBeLessThanOrEqual(700_000);
    expect(await resolveLocalModel(URI, { cacheDir })).toBe(r.path);
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
  });

  it('resumes a partial left by an earlier, interrupted pull', async () => {
    const path = modelCachePath(URI, { cacheDir });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(`${path}.partial`, server.data.subarray(0, 1_000_000));
    const r = await pullModel(URI, opts());
    expect(r.resumedFrom).toBe(1_000_000);
    expect(server.requests.find((q) => q.url.startsWith('/cdn/'))?.headers.range).toBe('bytes=1000000-');
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
  });

  it('restarts from zero when the server ignores the range (200 instead of 206)', async () => {
    const path = modelCachePath(URI, { cacheDir });
    writeFileSync(`${path}.partial`, Buffer.alloc(500_000, 7)); // junk: must not survive
    server.queueFaults({ ignoreRange: true });
    const r = await pullModel(URI, opts());
    expect(r.verified).toBe(true);
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
  });

  it('resumes with If-Range when the server sent an ETag, and restarts on a 200 when the file changed', async () => {
    server.setEtag('"v1"');
    server.queueFaults({ dropAfter: 700_000 });
    let changed = false;
    const r = await pullModel(
      URI,
      opts({
        onProgress: () => {
          if (!changed) server.setEtag('"v2"'); // the file changed on the server mid-download
          changed = true;
        },
      }),
    );
    const cdn = server.requests.filter((q) => q.url.startsWith('/cdn/'));
    expect(cdn).toHaveLength(2);
    expect(cdn[0]?.headers['if-range']).toBeUndefined();
    expect(cdn[1]?.headers.range).toMatch(/^bytes=\d+-$/);
    expect(cdn[1]?.headers['if-range']).toBe('"v1"');
    expect(r.verified).toBe(true);
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
  });

  it('a Ctrl-C during the pause before a retry stops the pull (exit 130), no further request', async () => {
    server.queueFaults({ dropAfter: 300_000 });
    const ac = new AbortController();
    let armed = false;
    const e = await rejection(
      pullModel(
        URI,
        opts({
          retryDelayMs: 3000,
          signal: ac.signal,
          onProgress: () => {
            if (!armed) setTimeout(() => ac.abort(), 400);
            armed = true;
          },
        }),
      ),
    );
    expect(e.exitCode).toBe(130);
    expect(e.message).toMatch(/pull interrupted/);
    expect(server.requests.filter((q) => q.url.startsWith('/cdn/'))).toHaveLength(1);
    expect(existsSync(modelCachePath(URI, { cacheDir }))).toBe(false);
  });

  it('a file whose sidecar names another URI is not "already present": it is pulled again', async () => {
    const path = modelCachePath(URI, { cacheDir });
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(path, 'another model');
    writeFileSync(
      `${path}.json`,
      JSON.stringify({
        uri: 'hf:other/repo/x.gguf',
        url: 'u',
        sha256: 'a'.repeat(64),
        verified: true,
        size: 13,
      }),
    );
    expect(await resolveLocalModel(URI, { cacheDir })).toBeUndefined();
    const r = await pullModel(URI, opts());
    expect(r.alreadyPresent).toBe(false);
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
    expect((await readSidecar(r.path))?.uri).toBe(URI);
    expect(await resolveLocalModel(URI, { cacheDir })).toBe(r.path);
  });

  it('retries after an idle stall, resuming where the data stopped', async () => {
    server.queueFaults({ stallAfter: 300_000 });
    const t0 = performance.now();
    const r = await pullModel(URI, opts({ idleTimeoutMs: 300 }));
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(r.retries).toBe(1);
    expect(readFileSync(r.path).equals(server.data)).toBe(true);
  });

  it('gives up after the retries, keeping the partial for the next run (exit 3)', async () => {
    server.queueFaults({ dropAfter: 100_000 }, { dropAfter: 100_000 }, { dropAfter: 100_000 });
    const e = await rejection(pullModel(URI, opts({ retries: 2 })));
    expect(e).toBeInstanceOf(PullError);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/failed after 2 retries/);
    expect(e.message).toMatch(/run the same command again to resume/);
    const path = modelCachePath(URI, { cacheDir });
    expect(existsSync(`${path}.partial`)).toBe(true);
    expect(await resolveLocalModel(URI, { cacheDir })).toBeUndefined();
    const again = await pullModel(URI, opts());
    expect(again.resumedFrom).toBeGreaterThan(0);
    expect(readFileSync(again.path).equals(server.data)).toBe(true);
  });

  it('a checksum mismatch fails (exit 3) and leaves no file in place', async () => {
    const e = await rejection(pullModel(URI, opts({ sha256: 'ab'.repeat(32) })));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/checksum mismatch/);
    expect(e.message).toContain(server.sha256);
    expect(e.message).toMatch(/removed/);
    const path = modelCachePath(URI, { cacheDir });
    expect(existsSync(path)).toBe(false);
    expect(existsSync(`${path}.partial`)).toBe(false);
    expect(existsSync(`${path}.json`)).toBe(false);
    expect(await resolveLocalModel(URI, { cacheDir })).toBeUndefined();
  });

  it('a wrong checksum announced by the server is a mismatch too', async () => {
    server.announce('cd'.repeat(32));
    const e = await rejection(pullModel(URI, opts()));
    expect(e.message).toMatch(/checksum mismatch.*the one the server announced/);
    expect(await resolveLocalModel(URI, { cacheDir })).toBeUndefined();
  });

  it('with no checksum available, records the computed one as not verified', async () => {
    server.announce(null);
    const r = await pullModel(URI, opts());
    expect(r.verified).toBe(false);
    expect(r.sha256).toBe(server.sha256);
    expect(await readSidecar(r.path)).toMatchObject({ verified: false, sha256: server.sha256 });
  });

  it('an already pulled model is reported without any request', async () => {
    await pullModel(URI, opts());
    server.requests.length = 0;
    const r = await withNoNetwork(() => pullModel(URI, opts()));
    expect(r.alreadyPresent).toBe(true);
    expect(r.sha256).toBe(server.sha256);
    expect(server.requests).toHaveLength(0);
  });

  it('a missing file is exit 2 naming the URL; a malformed URI is a ConfigError (exit 2)', async () => {
    const e = await rejection(pullModel('hf:test-org/tiny-GGUF/missing.gguf', opts()));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/not found \(HTTP 404\)/);
    for (const bad of [
      'hf:only-owner/file.gguf',
      'hf:a/b/model.bin',
      'https://x/y.gguf',
      'hf:a/b/../c.gguf',
    ]) {
      const err = await rejection(pullModel(bad, opts()));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.exitCode).toBe(2);
    }
    const sha = await rejection(pullModel(URI, opts({ sha256: 'xyz' })));
    expect(sha.message).toMatch(/--sha256.*not a sha256/);
  });
});

describe('pullModel offline', () => {
  it('keeps its own connect and idle timeouts at or below 10 s', () => {
    expect(DEFAULT_CONNECT_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });

  it('a server that accepts but never answers fails within the connect timeout, with the clear message', async () => {
    const silent = await startSilentServer();
    try {
      const t0 = performance.now();
      const e = await rejection(
        pullModel(URI, { cacheDir, env: { ASSAY_HF_ENDPOINT: silent.endpoint }, connectTimeoutMs: 500 }),
      );
      const ms = performance.now() - t0;
      expect(ms).toBeGreaterThanOrEqual(450);
      expect(ms).toBeLessThan(3_000);
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(
        /^cannot reach 127\.0\.0\.1:\d+: no answer within 0\.5 s — check your connection/,
      );
      expect(e.message).toMatch(/download the file yourself .* and point local: at it/);
    } finally {
      await silent.close();
    }
  });

  it('a refused port fails at once (no retries), with the clear message', async () => {
    const port = await closedPort();
    const t0 = performance.now();
    const e = await rejection(
      pullModel(URI, { cacheDir, env: { ASSAY_HF_ENDPOINT: `http://127.0.0.1:${port}` } }),
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(`cannot reach 127.0.0.1:${port}: connection refused — check your connection`);
    expect(existsSync(modelCachePath(URI, { cacheDir }))).toBe(false);
  });
});
