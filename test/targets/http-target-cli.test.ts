import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../examples/app-target/app.ts';
import { cleanEnv, repoRoot, runCli } from '../cli/cli-harness.ts';

/**
 * The shipped example (examples/app-target) evaluated through the real CLI: its support application runs
 * on loopback, reached as an `http:` target, next to the same logic as a `file:` target.
 */

const TOKEN = 'app-token-5f1e0c9a7b3d4e21';
let app: RunningApp;
let dir: string;

interface Group {
  modelId: string;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  cached: number;
}

function groups(stdout: string): Map<string, Group> {
  const out = JSON.parse(stdout) as { reports: { summary: { groups: Group[] } }[] };
  return new Map(out.reports.flatMap((r) => r.summary.groups).map((g) => [g.modelId, g]));
}

/** Every byte of the store (database, WAL and shared-memory files). */
function storeBytes(): Buffer {
  const store = join(dir, '.assay');
  return Buffer.concat(readdirSync(store).map((f) => readFileSync(join(store, f))));
}

beforeAll(async () => {
  // The first two requests fail (429 with Retry-After: 1, then 500): the engine retries both.
  app = await startApp({ token: TOKEN, faults: [429, 500], retryAfter: 1 });
  dir = mkdtempSync(join(tmpdir(), 'assay-app-target-'));
  cpSync(join(repoRoot, 'examples/app-target'), dir, {
    recursive: true,
    filter: (s) => !s.includes('.assay'),
  });
  const config = readFileSync(join(dir, 'assay.yaml'), 'utf8');
  writeFileSync(join(dir, 'assay.yaml'), config.replace('http://127.0.0.1:3000', app.url));
});
afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the app-target example under `assay eval`', () => {
  it('scores the application by its checks, retries 429 and 500, then answers a second run from the cache', async () => {
    const env = cleanEnv({ SUPPORT_APP_TOKEN: TOKEN });
    const first = await runCli(['eval', '-C', dir, '--json'], { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0); // 4 of 5 pass: the 80% threshold is met
    const g = groups(first.stdout);
    // The warranty case fails by design (the app does not know the topic); nothing errored.
    for (const id of ['http:support-app', 'file:targets/support-bot.ts#answerCase'])
      expect(g.get(id)).toMatchObject({ total: 5, passed: 4, failed: 1, errors: 0, cached: 0 });
    expect(JSON.parse(first.stdout).reports[0].retries).toBe(2);
    expect(app.requests).toBe(7); // 5 cases + the 429 + the 500

    const second = await runCli(['eval', '-C', dir, '--json'], { env });
    expect(second.code).toBe(0);
    expect(app.requests).toBe(7); // no request reached the app
    for (const group of groups(second.stdout).values())
      expect(group).toMatchObject({ total: 5, passed: 4, cached: 5 });

    // The token was sent (the app answers 401 without it) but is nowhere Assay writes.
    const bytes = storeBytes();
    expect(bytes.includes('within 30 days of delivery')).toBe(true); // the scan does see stored answers
    expect(bytes.includes(TOKEN)).toBe(false);
    const exported = await runCli(['export', 'latest', '-C', dir, '--format', 'jsonl'], { env });
    for (const text of [first.stdout, second.stdout, exported.stdout]) expect(text).not.toContain(TOKEN);
  });

  it('a header variable that is not set stops before any request (exit 2, file:line:field)', async () => {
    const before = app.requests;
    const r = await runCli(['eval', '-C', dir], { env: cleanEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /assay\.yaml:\d+:\d+: models\[0\]\.headers\.Authorization: header Authorization of http:support-app needs \$\{SUPPORT_APP_TOKEN\}, which is not set/,
    );
    expect(app.requests).toBe(before);
  });
});
