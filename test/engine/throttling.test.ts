import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/core/types.ts';
import { runEval } from '../../src/engine/run-engine.ts';
import type { Progress, RunOptions, RunOutcome } from '../../src/engine/run-options.ts';
import { createModelRegistry } from '../../src/models/model-registry.ts';
import { loadProject } from '../../src/project/load-project.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { lastUserMessage, startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';

/**
 * Throttling end to end: the engine, the OpenAI-compatible adapter and the SQLite store against the
 * test server in rate-limit mode (429 once more than R requests arrive in a second).
 */

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  server.reset();
  server.setRateLimit(undefined);
  server.setRespond(undefined);
  server.latencyMs = 0;
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function project(opts: {
  cases: number;
  model?: string[];
  files?: Record<string, string>;
  checks?: string[];
}) {
  const dir = mkdtempSync(join(tmpdir(), 'assay-throttle-'));
  const files: Record<string, string> = {
    'assay.yaml': [
      'prompts: [q.prompt.md]',
      'suites: [cases.jsonl]',
      'models:',
      '  - id: openai-compatible:test',
      `    baseUrl: ${server.url}`,
      '    adapter: direct',
      ...(opts.model ?? []),
      'defaults:',
      '  maxRetries: 10',
      '  checks:',
      ...(opts.checks ?? ['    - contains: "number"']),
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n',
    'cases.jsonl': `${Array.from({ length: opts.cases }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join('\n')}\n`,
    ...opts.files,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const store = openSqliteStore(join(dir, 'assay.db'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const p = await loadProject({ cwd: dir });
  const registry = createModelRegistry(p.models, { root: p.root, env: {} });
  return {
    store,
    async run(o: Partial<RunOptions> = {}): Promise<{ outcome: RunOutcome; results: ResultRecord[] }> {
      const outcome = await runEval({
        project: p,
        store,
        resolveModel: (id) => registry.resolve(id),
        retry: { baseMs: 20, capMs: 200 },
        ...o,
      });
      const results: ResultRecord[] = [];
      for await (const r of store.iterateResults(outcome.run.id)) results.push(r);
      return { outcome, results };
    },
  };
}

describe('throttling against a rate-limited server', () => {
  it('backs off on 429, completes a few hundred cases with zero errors, and logs the back-off', async () => {
    server.setRateLimit({ perSecond: 100 });
    server.latencyMs = 10;
    const f = await project({ cases: 300, model: ['    concurrency: 32'] });
    const seen: Progress[] = [];
    const { outcome, results } = await f.run({ onProgress: (p) => seen.push(p) });
    expect(outcome.run.status).toBe('completed');
    expect(results).toHaveLength(300);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
    expect(results.every((r) => r.status === 'pass')).toBe(true);
    // the server refused some calls, and the engine backed off
    const refused = server.faultCounts['429'] ?? 0;
    expect(refused).toBeGreaterThan(0);
    const [report] = outcome.throttling ?? [];
    expect(report?.modelId).toBe('openai-compatible:test');
    expect(report?.rateLimited).toBe(refused);
    expect(report?.max).toBe(32);
    expect(report?.changes.some((c) => c.kind === 'backoff')).toBe(true);
    expect(report?.log).toMatch(
      /^openai-compatible:test: 429 ×\d+; backed off to \d+ after 429 at \d\d:\d\d:\d\d/,
    );
    // progress showed it while it happened
    expect(seen.some((p) => (p.rateLimited ?? 0) > 0)).toBe(true);
    expect(seen.some((p) => p.concurrency?.some((c) => c.max === 32 && c.current < 32))).toBe(true);
    expect(seen.at(-1)?.rateLimited).toBe(refused);
  }, 60_000);

  it('with rpm below the server limit, no 429 happens at all', async () => {
    server.setRateLimit({ perSecond: 100 });
    const f = await project({ cases: 200, model: ['    concurrency: 32', '    rpm: 4800'] });
    const t0 = Date.now();
    const { outcome, results } = await f.run();
    expect(results.filter((r) => r.status === 'pass')).toHaveLength(200);
    expect(server.faultCounts['429']).toBeUndefined();
    expect(outcome.throttling).toBeUndefined();
    // 80 per second after a burst of 8: 200 calls take at least 2.4 s
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2300);
  }, 60_000);

  it('tpm: calls are spaced by their estimated tokens', async () => {
    // every call is ~10 input + 256 expected output tokens; 40,000 tpm ≈ 150 calls a minute ≈ 2.5/s
    const f = await project({ cases: 6, model: ['    tpm: 40000'] });
    const t0 = Date.now();
    const { results } = await f.run();
    expect(results.filter((r) => r.status === 'pass')).toHaveLength(6);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
  }, 30_000);

  it('judge calls to the target model share its rpm limit: targets and judges together stay under it', async () => {
    server.setRateLimit({ perSecond: 50 });
    server.setRespond((body) =>
      body.messages.some((m) => String(m.content).includes('Data marker code'))
        ? JSON.stringify({ reasoning: 'fine', verdict: 'pass' })
        : lastUserMessage(body),
    );
    const f = await project({
      cases: 60,
      model: ['    concurrency: 16', '    rpm: 2400'],
      checks: ['    - type: judge', '      judge: judges/ok.judge.md'],
      files: {
        'judges/ok.judge.md': '---\nmodel: openai-compatible:test\n---\nThe reply states a number.\n',
      },
    });
    const { results } = await f.run();
    expect(results.filter((r) => r.status === 'pass')).toHaveLength(60);
    expect(server.requests).toBe(120);
    expect(server.faultCounts['429']).toBeUndefined();
  }, 60_000);

  it('bad rpm/tpm values are config errors naming the field and what is expected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-throttle-bad-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
      join(dir, 'assay.yaml'),
      'prompts: [q.prompt.md]\nsuites: [c.jsonl]\nmodels:\n  - id: fake:echo\n    rpm: 0\n    tpm: lots\n',
    );
    writeFileSync(join(dir, 'q.prompt.md'), '---\nvariables:\n  n: number\n---\nSay {{ n }}.\n');
    writeFileSync(join(dir, 'c.jsonl'), '{"id":"a","vars":{"n":1}}\n');
    const err = await loadProject({ cwd: dir }).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode?: number },
    );
    expect(err?.message).toContain('assay.yaml:5:10: models[0].rpm');
    expect(err?.message).toContain('expected a number > 0');
    expect(err?.message).toContain('models[0].tpm: wrong type');
  });
});
