import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Project } from '../core/config/project.ts';
import { AssayError } from '../core/errors.ts';
import type { ChatMessage, ResultRecord, TrajectoryStep } from '../core/types.ts';
import { createModelRegistry } from '../models/model-registry.ts';
import { loadProject } from '../project/load-project.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { resultKey } from '../store/store.ts';
import { startTestServer, type TestServer } from '../test-helpers/test-server.ts';
import { addCost, type ItemExecutor } from './item-executor.ts';
import { estimateRun, runEval } from './run-engine.ts';
import type { Progress, RunOptions, RunOutcome } from './run-options.ts';

/**
 * The engine against real parts: the OpenAI-compatible test server over HTTP, the AI SDK adapter from
 * the model registry, the project loader, compiled checks and the SQLite store. Only the LLM is scripted.
 */

let server: TestServer;
let server2: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  server2 = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await server2?.close();
});
beforeEach(() => {
  server.reset();
  server.latencyMs = 0;
  server.setRespond(undefined);
  server2.reset();
  server2.latencyMs = 0;
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Fixture {
  dir: string;
  project: Project;
  store: SqliteStore;
  run(opts?: Partial<RunOptions>): Promise<RunOutcome>;
  estimate(
    opts?: Partial<RunOptions>,
  ): Promise<ReturnType<typeof estimateRun> extends Promise<infer T> ? T : never>;
  results(runId: string): Promise<ResultRecord[]>;
  write(name: string, text: string): void;
  reload(): Promise<void>;
}

/** A project of `n` cases `{ n: i }` asking "Say the number i."; the echoed answer contains "number". */
async function fixture(
  opts: {
    cases?: number;
    config?: string[];
    models?: string[];
    files?: Record<string, string>;
    caseLines?: string[];
  } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-engine-'));
  const n = opts.cases ?? 10;
  const caseLines =
    opts.caseLines ?? Array.from({ length: n }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } }));
  const models = opts.models ?? ['  - id: openai-compatible:test', `    baseUrl: ${server.url}`];
  const files: Record<string, string> = {
    'assay.yaml': [
      'prompts: [q.prompt.md]',
      'suites: [cases.jsonl]',
      'models:',
      ...models,
      'defaults:',
      '  checks:',
      '    - contains: "number"',
      ...(opts.config ?? []),
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n',
    'cases.jsonl': `${caseLines.join('\n')}\n`,
    ...opts.files,
  };
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) write(name, text);
  const store = openSqliteStore(join(dir, 'assay.db'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const f: Fixture = {
    dir,
    project: await loadProject({ cwd: dir }),
    store,
    write,
    async reload() {
      f.project = await loadProject({ cwd: dir });
    },
    run: async (o = {}) => runEval(await options(f, o)),
    estimate: async (o = {}) => estimateRun(await options(f, o)),
    async results(runId) {
      const out: ResultRecord[] = [];
      for await (const r of store.iterateResults(runId)) out.push(r);
      return out;
    },
  };
  return f;
}

async function options(f: Fixture, o: Partial<RunOptions>): Promise<RunOptions> {
  const registry = createModelRegistry(f.project.models, { root: f.project.root, env: {} });
  return {
    project: f.project,
    store: f.store,
    resolveModel: (id) => registry.resolve(id),
    retry: { random: () => 0 },
    ...o,
  };
}

function expectOneResultPerPlannedItem(results: ResultRecord[], planned: number): void {
  expect(results).toHaveLength(planned);
  expect(new Set(results.map(resultKey)).size).toBe(planned);
  for (const r of results) expect(['pass', 'fail', 'error']).toContain(r.status);
}

describe('runEval: results', () => {
  it('every case ends as pass, fail or error, none lost; the run is completed with its manifest', async () => {
    const f = await fixture({
      caseLines: [
        ...Array.from({ length: 8 }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })),
        JSON.stringify({ id: 'fails', vars: { n: 8 }, checks: [{ contains: 'zebra' }] }),
        JSON.stringify({ id: 'errors', vars: { n: 99 } }),
      ],
      config: ['  seed: 7'],
    });
    server.fault((_, body) =>
      JSON.stringify(body.messages).includes('number 99') ? { status: 400 } : undefined,
    );
    const out = await f.run({ maxRetries: 2 });
    expect(out.incomplete).toBeUndefined();
    expect(out.run.status).toBe('completed');
    expect(out.run.planned).toBe(10);
    const results = await f.results(out.run.id);
    expectOneResultPerPlannedItem(results, 10);
    const byCase = new Map(results.map((r) => [r.caseId, r]));
    expect(byCase.get('c3')).toMatchObject({
      status: 'pass',
      output: 'Say the number 3.',
      score: 1,
      attempts: 1,
      cached: false,
    });
    expect(byCase.get('c3')?.usage.inputTokens).toBeGreaterThan(0);
    expect(byCase.get('c3')?.checks).toEqual([expect.objectContaining({ type: 'contains', pass: true })]);
    expect(byCase.get('fails')).toMatchObject({ status: 'fail', score: 0.5 }); // two checks, one failed
    const err = byCase.get('errors');
    expect(err).toMatchObject({ status: 'error', attempts: 1, checks: [], error: { kind: 'client' } });
    expect(err?.error?.message).toMatch(/400/);
    expect(out.requests).toBe(10); // a 400 is not retried

    const m = out.run.manifest;
    expect(m.prompts).toEqual([
      expect.objectContaining({ name: 'q', version: f.project.prompts[0]?.version, file: 'q.prompt.md' }),
    ]);
    expect(m.prompts[0]?.source).toBe(f.project.prompts[0]?.canonical);
    expect(m.suite).toMatchObject({
      name: f.project.suites[0]?.name,
      hash: f.project.suites[0]?.hash,
      cases: 10,
    });
    expect(m.models).toEqual([{ id: 'openai-compatible:test', settings: {}, baseUrl: server.url }]);
    expect(m.packages).toMatchObject({ assay: expect.any(String), ai: expect.any(String) });
    expect(Object.keys(m.packages).some((k) => k.startsWith('@ai-sdk/'))).toBe(true);
    expect(m.priceTable.package).toBe('@pydantic/genai-prices');
    expect(m.node).toBe(process.version);
    expect(m.seed).toBe(7);
    expect(m.git).toBeUndefined(); // a temp folder is not a git work tree
    expect(m.options).toMatchObject({ maxRetries: 2, cache: true, concurrency: 8, timeoutMs: 60_000 });
  });

  it('never stores API keys or header values, in the manifest, results or cache', async () => {
    const secret = 'sk-test-SECRET-0123456789';
    const f = await fixture({
      cases: 2,
      models: [
        '  - id: openai-compatible:test',
        `    baseUrl: ${server.url}`,
        '    apiKeyEnv: TEST_KEY',
        `    headers: { x-custom-auth: "${'$'}{TEST_HEADER}" }`,
      ],
    });
    const registry = createModelRegistry(f.project.models, {
      root: f.project.root,
      env: { TEST_KEY: secret, TEST_HEADER: `${secret}-h` },
    });
    const out = await runEval({
      project: f.project,
      store: f.store,
      resolveModel: (id) => registry.resolve(id),
    });
    expect(server.lastHeaders?.['x-custom-auth']).toBe(`${secret}-h`); // it was sent…
    expect(JSON.stringify(out.run)).not.toContain(secret); // …and never kept
    expect(out.run.manifest.models[0]).toMatchObject({ headers: ['x-custom-auth'] });
    expect(JSON.stringify(await f.results(out.run.id))).not.toContain(secret);
    await f.store.close();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(f.dir, 'assay.db')).includes(secret)).toBe(false);
    cleanups.pop();
    rmSync(f.dir, { recursive: true, force: true });
  });
});

describe('runEval: retries and timeouts', () => {
  it('429 with Retry-After is honoured and counted', async () => {
    const f = await fixture({ cases: 1 });
    server.queueFaults([{ status: 429, retryAfter: 1 }]);
    const t0 = performance.now();
    const out = await f.run();
    const ms = performance.now() - t0;
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(10_000);
    expect(out.retries).toBe(1);
    expect(out.requests).toBe(2);
    const [r] = await f.results(out.run.id);
    expect(r).toMatchObject({ status: 'pass', attempts: 2 });
    expect(server.faultCounts['429']).toBe(1);
  });

  it('retry-after-ms pauses the whole model, not only the call that got the 429', async () => {
    const f = await fixture({ cases: 4 });
    server.latencyMs = 20;
    server.queueFaults([{ status: 429, retryAfterMs: 600 }]);
    const t0 = performance.now();
    const out = await f.run({ concurrency: 1 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(550);
    expect(out.retries).toBe(1);
    expect((await f.results(out.run.id)).every((r) => r.status === 'pass')).toBe(true);
  });

  it('a Retry-After longer than the engine waits ends the call as an error that says so', async () => {
    const f = await fixture({ cases: 1 });
    server.queueFaults([{ status: 429, retryAfter: 3600 }]);
    const out = await f.run();
    const [r] = await f.results(out.run.id);
    expect(r).toMatchObject({ status: 'error', attempts: 1, error: { kind: 'rate-limit' } });
    expect(r?.error?.message).toMatch(/wait 3600 s/);
  });

  it('500 is retried, then succeeds', async () => {
    const f = await fixture({ cases: 1 });
    server.queueFaults([{ status: 500 }, { status: 503 }]);
    const out = await f.run({ maxRetries: 3 });
    const [r] = await f.results(out.run.id);
    expect(r).toMatchObject({ status: 'pass', attempts: 3 });
    expect(out.retries).toBe(2);
    expect(server.requests).toBe(3);
  });

  it('a 500 that never goes away ends as an error after maxRetries retries, never a fail', async () => {
    const f = await fixture({ cases: 2 });
    server.fault(() => ({ status: 500 }));
    const out = await f.run({ maxRetries: 2 });
    const results = await f.results(out.run.id);
    expectOneResultPerPlannedItem(results, 2);
    for (const r of results) {
      expect(r).toMatchObject({ status: 'error', attempts: 3, error: { kind: 'server' } });
      expect(r.error?.message).toMatch(/after 3 attempts/);
    }
    expect(server.requests).toBe(6);
    expect(out.run.status).toBe('completed');
  });

  it('a hang past the timeout is retried; one that always hangs becomes a timeout error', async () => {
    const f = await fixture({ cases: 1 });
    server.queueFaults([{ hang: true }]);
    const once = await f.run({ timeoutMs: 300, maxRetries: 2 });
    expect((await f.results(once.run.id))[0]).toMatchObject({ status: 'pass', attempts: 2 });

    server.reset();
    server.fault(() => ({ hang: true }));
    const t0 = performance.now();
    const always = await f.run({ timeoutMs: 200, maxRetries: 1, cache: false });
    expect(performance.now() - t0).toBeLessThan(5_000);
    const [r] = await f.results(always.run.id);
    expect(r).toMatchObject({ status: 'error', attempts: 2, error: { kind: 'timeout' } });
    expect(r?.error?.message).toMatch(/timed out after 200 ms/);
    expect(server.requests).toBe(2);
  });

  it('a reset connection and a malformed body are retried', async () => {
    const f = await fixture({ cases: 2 });
    server.queueFaults([{ reset: true }, { malformed: true }]);
    const out = await f.run({ concurrency: 1, maxRetries: 3 });
    const results = await f.results(out.run.id);
    expect(results.map((r) => r.status)).toEqual(['pass', 'pass']);
    expect(out.retries).toBe(2);
    expect(server.faultCounts).toMatchObject({ reset: 1, malformed: 1 });
  });

  it('malformed JSON every time ends as a bad-response error', async () => {
    const f = await fixture({ cases: 1 });
    server.fault(() => ({ malformed: true }));
    const out = await f.run({ maxRetries: 1 });
    expect((await f.results(out.run.id))[0]).toMatchObject({
      status: 'error',
      error: { kind: 'bad-response' },
    });
  });
});

describe('runEval: cache', () => {
  it('a second identical run makes zero requests; cached results cost nothing and keep their usage', async () => {
    const f = await fixture({
      cases: 5,
      config: ['prices: prices.yaml'],
      files: { 'prices.yaml': '"openai-compatible:test": { input: 10, output: 10 }\n' },
    });
    await f.reload();
    const first = await f.run({ repeats: 2 });
    expect(server.requests).toBe(10); // repeats are independent samples
    expect(first.run.cost).toBeGreaterThan(0);
    const second = await f.run({ repeats: 2 });
    expect(server.requests).toBe(10);
    expect(second.requests).toBe(0);
    expect(second.run.cost).toBe(0);
    const a = await f.results(first.run.id);
    const b = await f.results(second.run.id);
    expect(b.every((r) => r.cached && r.cost === 0 && r.attempts === 0)).toBe(true);
    expect(b.map((r) => [r.output, r.usage, r.latencyMs])).toEqual(
      a.map((r) => [r.output, r.usage, r.latencyMs]),
    );
    expect(b.map((r) => r.status)).toEqual(a.map((r) => r.status));
  });

  it('cache: false sends every call again (and refreshes the cache); errors are never cached', async () => {
    const f = await fixture({ cases: 3 });
    server.queueFaults([{ status: 400 }]);
    await f.run({ concurrency: 1 });
    expect(server.requests).toBe(3);
    const fresh = await f.run({ cache: false });
    expect(server.requests).toBe(6);
    expect((await f.results(fresh.run.id)).every((r) => !r.cached && r.status === 'pass')).toBe(true);
    const third = await f.run();
    expect(server.requests).toBe(6);
    expect(third.requests).toBe(0);
  });
});

describe('runEval: broken checks', () => {
  it('a check that throws makes the result an error of kind check, not a fail', async () => {
    const f = await fixture({
      cases: 2,
      config: ['    - custom: file:checks.ts#boom'],
      files: { 'checks.ts': "export function boom() { throw new Error('kaboom'); }\n" },
    });
    const out = await f.run();
    const results = await f.results(out.run.id);
    expectOneResultPerPlannedItem(results, 2);
    for (const r of results) {
      expect(r.status).toBe('error');
      expect(r.error).toEqual({ kind: 'check', message: expect.stringMatching(/kaboom/) });
      expect(r.output).toBeDefined(); // the model's answer is kept
    }
  });
});

describe('runEval: interruption and resume', () => {
  it('abort mid-run: interrupted, a subset stored, in-flight calls finished and saved; resume repeats nothing', async () => {
    const f = await fixture({ cases: 40 });
    server.latencyMs = 40;
    const ac = new AbortController();
    const watch = (async () => {
      while (server.completions < 10) await sleep(5);
      ac.abort(new Error('SIGINT'));
    })();
    const out = await f.run({ concurrency: 3, signal: ac.signal });
    await watch;
    expect(out.incomplete).toBe('interrupted');
    expect(out.run.status).toBe('interrupted');
    const stored = await f.results(out.run.id);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.length).toBeLessThan(40);
    expect(new Set(stored.map(resultKey)).size).toBe(stored.length);
    // every call that was answered was saved (in-flight calls were allowed to finish)
    expect(server.completions).toBe(stored.length);

    const before = server.requests;
    const resumed = await f.run({ resume: out.run.id });
    expect(resumed.run.id).toBe(out.run.id);
    expect(resumed.run.status).toBe('completed');
    expect(resumed.incomplete).toBeUndefined();
    expect(server.requests - before).toBe(40 - stored.length);
    expectOneResultPerPlannedItem(await f.results(out.run.id), 40);
  });

  it('drainTimeoutMs 0 aborts calls in flight at once; they are not written and are redone on resume', async () => {
    const f = await fixture({ cases: 6 });
    server.fault((n) => (n > 2 ? { hang: true } : undefined));
    const ac = new AbortController();
    const watch = (async () => {
      while (server.requests < 4) await sleep(5);
      ac.abort();
    })();
    const t0 = performance.now();
    const out = await f.run({ concurrency: 2, signal: ac.signal, drainTimeoutMs: 0, timeoutMs: 30_000 });
    await watch;
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(out.run.status).toBe('interrupted');
    const stored = await f.results(out.run.id);
    expect(stored.map((r) => r.status)).toEqual(['pass', 'pass']);
    server.fault(undefined);
    const before = server.requests;
    const resumed = await f.run({ resume: out.run.id });
    expect(resumed.run.status).toBe('completed');
    expect(server.requests - before).toBe(4);
  });

  it('an abort during a backoff wait ends at once, without recording the retried call', async () => {
    const f = await fixture({ cases: 1 });
    server.queueFaults([{ status: 429, retryAfter: 60 }]);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = performance.now();
    const out = await f.run({ signal: ac.signal });
    expect(performance.now() - t0).toBeLessThan(3_000);
    expect(out.run.status).toBe('interrupted');
    expect(await f.results(out.run.id)).toHaveLength(0);
  });

  it('resume refuses when the prompt or suite changed since the run (exit 2)', async () => {
    const f = await fixture({ cases: 5 });
    const ac = new AbortController();
    ac.abort();
    const out = await f.run({ signal: ac.signal });
    expect(out.run.status).toBe('interrupted');
    f.write('q.prompt.md', '---\nvariables:\n  n: number\n---\nSay the number {{ n }} please.\n');
    await f.reload();
    const err = await f.run({ resume: out.run.id }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssayError);
    expect((err as AssayError).exitCode).toBe(2);
    expect((err as AssayError).message).toMatch(/project changed since the run.*\n.*prompt 'q' changed/s);
    expect(server.requests).toBe(0);
  });

  it('resume of a completed run retries only its errored calls', async () => {
    const f = await fixture({ cases: 4 });
    server.queueFaults([{ status: 500 }, { status: 500 }]);
    const out = await f.run({ maxRetries: 0, concurrency: 1 });
    expect(out.run.status).toBe('completed');
    expect((await f.results(out.run.id)).filter((r) => r.status === 'error')).toHaveLength(2);
    server.reset();
    const resumed = await f.run({ resume: out.run.id, maxRetries: 0 });
    expect(server.requests).toBe(2);
    const results = await f.results(resumed.run.id);
    expectOneResultPerPlannedItem(results, 4);
    expect(results.every((r) => r.status === 'pass')).toBe(true);
  });

  it('resume of a completed run without errors, or of an unknown id, is an error', async () => {
    const f = await fixture({ cases: 1 });
    const out = await f.run();
    await expect(f.run({ resume: out.run.id })).rejects.toThrow(/already complete/);
    await expect(f.run({ resume: 'ffffffffffff' })).rejects.toThrow(/no run 'ffffffffffff'/);
  });
});

describe('runEval: budget', () => {
  const prices = { 'prices.yaml': '"openai-compatible:test": { input: 10, output: 10 }\n' };

  it('max cost stops at the cap (over-budget) and resume with a higher cap finishes without repeats', async () => {
    const f = await fixture({ cases: 30, config: ['prices: prices.yaml'], files: prices });
    const capped = await f.run({ concurrency: 2, maxCost: 0.002 });
    expect(capped.incomplete).toBe('over-budget');
    expect(capped.run.status).toBe('over-budget');
    expect(capped.run.cost).toBeLessThanOrEqual(0.002);
    const stored = await f.results(capped.run.id);
    expect(stored.length).toBeGreaterThan(3);
    expect(stored.length).toBeLessThan(30);
    expect(capped.run.manifest.options.maxCost).toBe(0.002);

    // resuming without a higher cap stops again at once, sending nothing
    const again = await f.run({ resume: capped.run.id });
    expect(again.incomplete).toBe('over-budget');
    expect(server.requests).toBe(stored.length);

    const resumed = await f.run({ resume: capped.run.id, maxCost: 1 });
    expect(resumed.run.status).toBe('completed');
    expect(server.requests).toBe(30);
    expectOneResultPerPlannedItem(await f.results(capped.run.id), 30);
    expect(resumed.run.cost).toBeGreaterThan(capped.run.cost);
  });

  it('with maxTokens set, the reservation uses it: a cap below one call starts nothing', async () => {
    const f = await fixture({
      cases: 3,
      config: ['prices: prices.yaml'],
      files: {
        ...prices,
        'q.prompt.md':
          '---\nvariables:\n  n: number\nsettings:\n  maxTokens: 1000\n---\nSay the number {{ n }}.\n',
      },
    });
    const out = await f.run({ maxCost: 0.005 }); // one call may cost up to ~$0.01
    expect(out.incomplete).toBe('over-budget');
    expect(server.requests).toBe(0);
    expect(await f.results(out.run.id)).toHaveLength(0);
  });

  it('refuses to start under a cap when a price is unknown (exit 2), and creates no run', async () => {
    const f = await fixture({ cases: 2 });
    const err = await f.run({ maxCost: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AssayError);
    expect((err as AssayError).exitCode).toBe(2);
    expect((err as AssayError).message).toMatch(
      /cannot enforce --max-cost: the price of openai-compatible:test is unknown/,
    );
    expect(await f.store.listRuns()).toHaveLength(0);
  });

  it('without a cap, unknown prices are recorded as null and flagged on the run', async () => {
    const f = await fixture({ cases: 2 });
    const out = await f.run();
    expect(out.run.costUnknown).toBe(true);
    expect((await f.results(out.run.id)).every((r) => r.cost === null)).toBe(true);
  });
});

describe('runEval: failures of our own', () => {
  it('a store that cannot write stops the run, marks it failed and rejects with the cause', async () => {
    const f = await fixture({ cases: 60 });
    const broken = new Proxy(f.store, {
      get(target, prop, receiver) {
        if (prop === 'writeResults')
          return async () => {
            throw new Error('disk full');
          };
        return Reflect.get(target, prop, receiver);
      },
    });
    const opts = await options(f, { store: broken });
    await expect(runEval(opts)).rejects.toThrow('disk full');
    const [run] = await f.store.listRuns();
    expect(run?.status).toBe('failed');
    expect(server.requests).toBeLessThan(60); // it stopped early
  });

  it('free models (fake:) run under a cap without a price', async () => {
    const f = await fixture({ cases: 3, models: ['  - id: fake:echo'] });
    const out = await f.run({ maxCost: 0 });
    expect(out.run.status).toBe('completed');
    expect(await f.store.countResults(out.run.id)).toBe(3);
  });
});

describe('runEval: scheduling', () => {
  it('concurrency is per model: each server sees at most its model’s limit in flight', async () => {
    const f = await fixture({
      cases: 24,
      models: [
        '  - id: openai-compatible:a',
        `    baseUrl: ${server.url}`,
        '    concurrency: 2',
        '  - id: openai-compatible:b',
        `    baseUrl: ${server2.url}`,
        '    concurrency: 5',
      ],
    });
    server.latencyMs = 25;
    server2.latencyMs = 25;
    let peakA = 0;
    let peakB = 0;
    server.fault(() => {
      peakA = Math.max(peakA, server.inFlight);
      return undefined;
    });
    server2.fault(() => {
      peakB = Math.max(peakB, server2.inFlight);
      return undefined;
    });
    const out = await f.run();
    expect(out.run.status).toBe('completed');
    expect(server.requests).toBe(24);
    expect(server2.requests).toBe(24);
    expect(peakA).toBe(2);
    expect(peakB).toBe(5);
    // the global --concurrency overrides every model's own
    server.reset();
    peakA = 0;
    server.fault(() => {
      peakA = Math.max(peakA, server.inFlight);
      return undefined;
    });
    await f.run({ concurrency: 4, cache: false, models: ['openai-compatible:a'] });
    expect(peakA).toBe(4);
  });

  it('progress is reported at most ~10 times a second and ends at done = planned', async () => {
    const f = await fixture({ cases: 30 });
    server.latencyMs = 10;
    const seen: Progress[] = [];
    const t0 = performance.now();
    const out = await f.run({ concurrency: 2, onProgress: (p) => seen.push(p) });
    const elapsed = performance.now() - t0;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    const last = seen[seen.length - 1];
    expect(last).toMatchObject({ runId: out.run.id, planned: 30, done: 30, errors: 0, cached: 0 });
  });

  it('onResult sees every stored result', async () => {
    const f = await fixture({ cases: 7 });
    const got: string[] = [];
    const out = await f.run({ onResult: (r) => got.push(r.caseId) });
    expect(got.sort()).toEqual((await f.results(out.run.id)).map((r) => r.caseId).sort());
  });
});

describe('estimateRun (--dry-run)', () => {
  it('counts calls, cached calls, tokens and cost per model without sending anything', async () => {
    const f = await fixture({
      cases: 4,
      config: ['prices: prices.yaml'],
      files: { 'prices.yaml': '"openai-compatible:test": { input: 1, output: 2 }\n' },
    });
    const est = await f.estimate({ repeats: 2 });
    expect(server.requests).toBe(0);
    expect(est.calls).toBe(8);
    expect(est.cachedCalls).toBe(0);
    expect(est.outputTokens).toBe(8 * 256);
    expect(est.inputTokens).toBeGreaterThan(8 * 4);
    expect(est.cost).toBeCloseTo((est.inputTokens * 1 + est.outputTokens * 2) / 1e6, 12);
    expect(est.perModel).toEqual([
      {
        modelId: 'openai-compatible:test',
        calls: 8,
        inputTokens: est.inputTokens,
        outputTokens: 8 * 256,
        cost: est.cost,
      },
    ]);
    expect(est.assumptions.join('\n')).toMatch(/256 output tokens/);

    await f.run({ repeats: 1 });
    const after = await f.estimate({ repeats: 2 });
    expect(after.calls).toBe(8);
    expect(after.cachedCalls).toBe(4);
    expect(after.outputTokens).toBe(4 * 256);
    expect((await f.estimate({ repeats: 2, cache: false })).cachedCalls).toBe(0);
  });

  it('an unknown price makes the cost null and says so', async () => {
    const f = await fixture({ cases: 2 });
    const est = await f.estimate({ maxCost: 1 });
    expect(est.cost).toBeNull();
    expect(est.perModel[0]?.cost).toBeNull();
    expect(est.assumptions.join('\n')).toMatch(/price of openai-compatible:test is unknown/);
    expect(est.assumptions.join('\n')).toMatch(/refuse to start/);
  });
});

describe('runEval: overhead', () => {
  it('fake model: engine overhead stays well under a millisecond per case, memory flat', async () => {
    const n = 4000;
    const f = await fixture({ cases: n, models: ['  - id: fake:echo'] });
    await f.run({ cases: undefined, filter: { caseIds: ['c0'] } } as Partial<RunOptions>); // warm up (imports, JIT)
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const out = await f.run({ concurrency: 16 });
    const cpu = process.cpuUsage(cpu0);
    const ms = performance.now() - t0;
    expect(out.run.status).toBe('completed');
    expect(await f.store.countResults(out.run.id)).toBe(n);
    const cpuPerCase = (cpu.user + cpu.system) / 1000 / n;
    // ~0.1–0.3 ms here; a loose bound so slow CI machines pass
    expect(cpuPerCase).toBeLessThan(2);
    expect(ms / n).toBeLessThan(3);
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('runEval: multi-step items (executors)', () => {
  /** Two steps: the rendered case, then the reply plus "Again." — the second answer is the final one. */
  const twoSteps: ItemExecutor = {
    name: 'two-steps',
    handles: (item) => item.testCase.id !== 'plain',
    async run(ctx) {
      const first = await ctx.step({ messages: ctx.messages });
      if (first.kind !== 'ok') return first.kind === 'stopped' ? first : { ...first, cost: 0 };
      const messages: ChatMessage[] = [
        ...ctx.messages,
        { role: 'assistant', content: first.answer.text },
        { role: 'user', content: 'Again.' },
      ];
      const second = await ctx.step({ messages });
      const steps: TrajectoryStep[] = [
        { type: 'llm', turn: 0, text: first.answer.text, cached: first.cached },
      ];
      if (second.kind === 'stopped') return second;
      if (second.kind === 'error')
        return {
          kind: 'error',
          error: second.error,
          attempts: first.attempts + second.attempts,
          cost: first.cost,
          trajectory: { steps, termination: 'error', messages },
        };
      steps.push({ type: 'llm', turn: 1, text: second.answer.text, cached: second.cached });
      return {
        kind: 'ok',
        answer: second.answer,
        trajectory: {
          steps,
          termination: 'final-answer',
          messages: [...messages, { role: 'assistant', content: second.answer.text }],
        },
        cost: addCost(first.cost, second.cost),
        callCost: addCost(first.callCost, second.callCost),
        cached: first.cached && second.cached,
        attempts: first.attempts + second.attempts,
      };
    },
  };

  it('stores the trajectory, caches every step and replays a rerun from the cache', async () => {
    const f = await fixture({
      caseLines: [
        JSON.stringify({ id: 'agentish', vars: { n: 1 } }),
        JSON.stringify({ id: 'plain', vars: { n: 2 } }),
      ],
    });
    const first = await f.run({ executors: [twoSteps] });
    expect(server.requests).toBe(3); // two steps + one plain call
    const results = await f.results(first.run.id);
    const multi = results.find((r) => r.caseId === 'agentish') as ResultRecord;
    expect(multi.output).toBe('Again.');
    expect(multi.trajectory?.steps.map((s) => s.text)).toEqual(['Say the number 1.', 'Again.']);
    expect(multi.trajectory?.messages.at(-1)).toEqual({ role: 'assistant', content: 'Again.' });
    expect(server.bodies.find((b) => b.messages.length > 1)?.messages.map((m) => m.role)).toEqual([
      'user',
      'assistant',
      'user',
    ]);
    expect(results.find((r) => r.caseId === 'plain')?.trajectory).toBeUndefined();

    const again = await f.run({ executors: [twoSteps] });
    expect(server.requests).toBe(3);
    const rerun = (await f.results(again.run.id)).find((r) => r.caseId === 'agentish') as ResultRecord;
    expect(rerun.cached).toBe(true);
    expect(rerun.trajectory?.steps.every((s) => s.cached)).toBe(true);
  });

  it('an error mid-trajectory is an error result with the steps so far; the answered step stays cached', async () => {
    const f = await fixture({ caseLines: [JSON.stringify({ id: 'agentish', vars: { n: 1 } })] });
    server.fault((_n, body) => (body.messages.length > 1 ? { status: 400, message: 'bad step' } : undefined));
    const first = await f.run({ executors: [twoSteps] });
    const [r] = await f.results(first.run.id);
    expect(r?.status).toBe('error');
    expect(r?.trajectory?.steps).toHaveLength(1);
    expect(r?.trajectory?.termination).toBe('error');
    server.fault(undefined);
    const before = server.requests;
    await f.run({ executors: [twoSteps] });
    expect(server.requests - before).toBe(1); // only the failed step is paid again
  });
});

describe('runEval: budget with a priced fake model', () => {
  it('reserves the priced cost ahead of each call, so the cap is never overshot', async () => {
    // 20 cases; "Say the number i." echoed: ~5 input + ~5 output tokens → ~$0.01 a call at $1,000/MTok.
    const f = await fixture({
      cases: 20,
      models: ['  - id: fake:echo'],
      config: ['prices: prices.yaml'],
      files: { 'prices.yaml': '"fake:echo": { input: 1000, output: 1000 }\n' },
    });
    const out = await f.run({ concurrency: 4, maxCost: 0.05 });
    expect(out.incomplete).toBe('over-budget');
    expect(out.run.cost).toBeGreaterThan(0);
    expect(out.run.cost).toBeLessThanOrEqual(0.05);
  });
});
