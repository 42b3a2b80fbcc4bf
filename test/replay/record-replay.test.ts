import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import type { ResultRecord } from '../../src/core/types.ts';
import type { Recording } from '../../src/models/record-replay.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { plantSecret, scanForSecret } from '../../src/test-helpers/scan-for-secret.ts';
import {
  type ChatCompletionBody,
  startTestServer,
  type TestServer,
} from '../../src/test-helpers/test-server.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import { cleanEnv, runCli, scratchProject } from '../cli/cli-harness.ts';

/**
 * Record a run of the example project against the loopback test server, then replay it in fresh copies
 * of the project (no store, no cache, no key, no network) and compare the stored results.
 */

let server: TestServer;
let work: string;
const secret = plantSecret();
const cleanups: (() => void)[] = [];

/** Answers like a support bot / triage model, with a call counter so every answer is unique. */
function respond(body: ChatCompletionBody): string {
  const system = body.messages[0]?.content ?? '';
  const last = body.messages.at(-1)?.content ?? '';
  const n = server.requests;
  if (system.startsWith('Classify')) {
    if (/smoke/i.test(last)) return `{"category":"product","urgency":"high","needs_human":true,"n":${n}}`;
    return `{"category":"other","urgency":"low","needs_human":false,"n":${n}}`;
  }
  if (/smoking|sparked/i.test(last)) return `I'm escalating this to a human agent (${n}).`;
  return `Happy to help! You can return items within 30 days of delivery (${n}).`;
}

/** A copy of the example project calling the test server with a key from ACME_LLM_KEY. */
function project(): string {
  const p = scratchProject();
  cleanups.push(p.cleanup);
  writeFileSync(
    join(p.dir, 'assay.yaml'),
    [
      'prompts: [prompts/*.prompt.md]',
      'suites:',
      '  - file: suites/support.yaml',
      '    prompts: [support]',
      '  - file: suites/triage.yaml',
      '    prompts: [triage]',
      'models:',
      '  - id: openai-compatible:test',
      `    baseUrl: ${server.url}`,
      '    apiKeyEnv: ACME_LLM_KEY',
      'defaults:',
      '  threshold: 0.5',
    ].join('\n'),
  );
  return p.dir;
}

type Comparable = Omit<ResultRecord, 'runId' | 'createdAt' | 'cached' | 'attempts'>;

/** Every stored result of a project, per suite, without the fields that differ between runs. */
async function storedResults(dir: string): Promise<Record<string, Comparable[]>> {
  const store = openSqliteStore(join(dir, '.assay/assay.db'));
  try {
    const out: Record<string, Comparable[]> = {};
    for (const run of await store.listRuns({ limit: 100 })) {
      const rows: Comparable[] = [];
      for await (const r of store.iterateResults(run.id)) {
        const { runId: _r, createdAt: _c, cached: _k, attempts: _a, ...rest } = r;
        rows.push(rest);
      }
      rows.sort((a, b) =>
        `${a.prompt}\u0000${a.caseId}\u0000${a.repeat}`.localeCompare(
          `${b.prompt}\u0000${b.caseId}\u0000${b.repeat}`,
        ),
      );
      expect(out[run.manifest.suite.name], 'one run per suite').toBeUndefined();
      out[run.manifest.suite.name] = rows;
    }
    return out;
  } finally {
    await store.close();
  }
}

function recordings(dir: string): Recording[] {
  return readdirSync(dir)
    .filter((f) => /^[0-9a-f]{64}\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Recording);
}

let recDir: string;
let recorded: Record<string, Comparable[]>;
let recordExit: number | null;
let recordProject: string;

beforeAll(async () => {
  server = await startTestServer({ respond });
  work = mkdtempSync(join(tmpdir(), 'assay-replay-'));
  recDir = join(work, 'recording');
  const dir = project();
  recordProject = dir;
  const r = await runCli(['eval', '-C', dir, '--record', recDir, '--json'], {
    env: cleanEnv({ ACME_LLM_KEY: secret }),
  });
  expect(r.stderr).toBe('');
  recordExit = r.code;
  recorded = await storedResults(dir);
});

afterAll(async () => {
  await server?.close();
  for (const c of cleanups) c();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('record / replay of model exchanges', () => {
  it('records one file per exchange, with the key sent to the server but found nowhere in the recording', async () => {
    expect(server.requests).toBe(12);
    expect(server.lastHeaders?.authorization).toBe(`Bearer ${secret}`);
    const recs = recordings(recDir);
    expect(recs).toHaveLength(12);
    for (const rec of recs) {
      expect(Object.keys(rec).sort()).toEqual([
        'assayVersion',
        'format',
        'recordedAt',
        'request',
        'response',
      ]);
      expect(Object.keys(rec.request).sort()).toEqual(
        expect.arrayContaining(['messages', 'modelId', 'modelName', 'sample', 'settings']),
      );
      expect(rec.request.modelId).toBe('openai-compatible:test');
      expect(rec.request.sample).toBe(0);
    }
    // the triage prompt's output schema is part of its requests
    expect(recs.filter((r) => r.request.outputSchema !== undefined)).toHaveLength(4);
    expect(recorded.support).toHaveLength(8);
    expect(recorded.triage).toHaveLength(4);
    expect(await scanForSecret(secret, [recDir])).toEqual([]);
    expect(
      readFileSync(join(recDir, readdirSync(recDir).find((f) => f.endsWith('.json')) as string), 'utf8'),
    ).not.toContain(server.url);
  });

  it('replays in a fresh copy with no key, no store, no cache and no network: identical results', async () => {
    const dir = project();
    const before = server.requests;
    const env = cleanEnv();
    expect(env.ACME_LLM_KEY).toBeUndefined();
    const { exitCode, reports } = await withNoNetwork(() => evaluate({ cwd: dir, replay: recDir, env }));
    expect(server.requests - before).toBe(0);
    expect(exitCode).toBe(recordExit);
    expect(reports.every((r) => r.summary.errors === 0)).toBe(true);
    const replayed = await storedResults(dir);
    expect(replayed).toEqual(recorded);
    // the same outputs, check by check: not just the same pass rates
    expect(replayed.support?.map((r) => r.output)).toEqual(recorded.support?.map((r) => r.output));
    expect(recorded.support?.some((r) => r.status === 'pass')).toBe(true);
  });

  it('a replay miss is an error result naming the request; the other cases replay as recorded', async () => {
    const dir = project();
    const suite = join(dir, 'suites/support.yaml');
    writeFileSync(
      suite,
      readFileSync(suite, 'utf8').replace(
        'I bought a kettle three weeks ago and it leaks.',
        'My new kettle leaks everywhere.',
      ),
    );
    const before = server.requests;
    const r = await runCli(['eval', '-C', dir, '--replay', recDir], { env: cleanEnv() });
    expect(server.requests - before).toBe(0);
    // 1 error in 8 support calls is above the default 10% error rate: the run is incomplete
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/replay: 1 call\(s\) errored; .*assay runs show [0-9a-f]{12}/);
    const replayed = await storedResults(dir);
    const miss = replayed.support?.find((x) => x.caseId === 'refund-window');
    expect(miss?.status).toBe('error');
    expect(miss?.error?.kind).toBe('client');
    expect(miss?.error?.message).toMatch(
      /^no recording for openai-compatible:test request [0-9a-f]{12}: last user message 'Hi, I'm Maria\. My new kettle leaks everywhere\. Can I get my…' \(record it with --record\)$/,
    );
    const others = (rows: Comparable[] | undefined) => rows?.filter((x) => x.caseId !== 'refund-window');
    expect(others(replayed.support)).toEqual(others(recorded.support));
    expect(replayed.triage).toEqual(recorded.triage);
    // the hint names the run; `assay runs show` lists the miss with its message
    const runId = /assay runs show ([0-9a-f]{12})/.exec(r.stderr)?.[1] as string;
    const shown = await runCli(['runs', 'show', runId, '-C', dir], { env: cleanEnv() });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(
      /error client: no recording for openai-compatible:test request [0-9a-f]{12}/,
    );
  });

  it('replay does not read the response cache: a cached answer cannot hide a missing recording', async () => {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const { reports } = await withNoNetwork(() =>
      evaluate({ cwd: recordProject, replay: empty, env: cleanEnv() }),
    );
    expect(reports.reduce((n, r) => n + r.summary.errors, 0)).toBe(12);
    expect(reports.every((r) => r.exitCode === 3)).toBe(true);
  });

  it('repeats record two samples and replay both', async () => {
    const rec2 = join(work, 'repeats');
    const dir = project();
    const r = await runCli(['eval', '-C', dir, '-s', 'triage', '--repeat', '2', '--record', rec2], {
      env: cleanEnv({ ACME_LLM_KEY: secret }),
    });
    expect(r.code).not.toBe(2);
    const recs = recordings(rec2);
    expect(recs).toHaveLength(8);
    expect(recs.filter((x) => x.request.sample === 0)).toHaveLength(4);
    expect(recs.filter((x) => x.request.sample === 1)).toHaveLength(4);
    const first = await storedResults(dir);
    // the samples really differ (the server numbers its answers), so replay must keep them apart
    const outputs = first.triage?.map((x) => x.output);
    expect(new Set(outputs).size).toBe(8);

    const fresh = project();
    const before = server.requests;
    await withNoNetwork(() =>
      evaluate({ cwd: fresh, suite: 'triage', repeats: 2, replay: rec2, env: cleanEnv() }),
    );
    expect(server.requests - before).toBe(0);
    expect(await storedResults(fresh)).toEqual(first);
    expect(await scanForSecret(secret, [rec2])).toEqual([]);
  });

  it('the fake model records and replays too', async () => {
    const rec3 = join(work, 'fake');
    const dir = project();
    await withNoNetwork(() => evaluate({ cwd: dir, models: ['fake:echo'], record: rec3, env: cleanEnv() }));
    expect(recordings(rec3)).toHaveLength(12);
    const fresh = project();
    await withNoNetwork(() => evaluate({ cwd: fresh, models: ['fake:echo'], replay: rec3, env: cleanEnv() }));
    const a = await storedResults(dir);
    expect(await storedResults(fresh)).toEqual(a);
    expect(a.support?.every((r) => r.status !== 'error')).toBe(true);
  });

  it('--record and --replay together are a usage error (exit 2); a missing replay folder too', async () => {
    const dir = project();
    const both = await runCli(['eval', '-C', dir, '--record', join(work, 'x'), '--replay', recDir], {
      env: cleanEnv(),
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--record.*cannot be used with.*--replay/);
    const missing = await runCli(['eval', '-C', dir, '--replay', join(work, 'nowhere')], { env: cleanEnv() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/replay folder .*nowhere does not exist/);
  });
});
