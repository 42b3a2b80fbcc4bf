import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Annotation } from '../../src/annotations/annotation.ts';
import { annotationKey } from '../../src/annotations/annotation-key.ts';
import { AssayError } from '../../src/core/errors.ts';
import type { ResultRecord } from '../../src/core/types.ts';
import {
  type CachedResponse,
  type LabelEvent,
  type PromptVersionRecord,
  resultKey,
  type Store,
} from '../../src/store/store.ts';
import { sampleManifest, sampleResult } from './sample-records.ts';

export interface StoreUnderTest {
  store: Store;
  /** Closes the store if the test left it open, and removes whatever the store was kept in. */
  cleanup(): Promise<void>;
}

const hostile = [
  "'); DROP TABLE runs;--",
  'Robert"); DELETE FROM results; --',
  '%_\\%',
  '<script>alert(1)</script>',
  'naïve café — 日本語 — עברית — 🤖👍🏽',
  'tab\there\r\nnew line',
  '$1 ? :name @p',
];

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function caseIds(results: ResultRecord[]): string[] {
  return results.map((r) => r.caseId);
}

function manyResults(runId: string, n: number, start = 0): ResultRecord[] {
  return Array.from({ length: n }, (_, i) =>
    sampleResult({
      runId,
      caseId: `case-${String(start + i).padStart(5, '0')}`,
      output: `answer ${start + i}`,
    }),
  );
}

/**
 * Behaviour every Store implementation must have. Call it from a `*.test.ts` with a factory that makes a
 * fresh, empty store for each test.
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`Store conformance: ${name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    const newRun = (id: string, planned = 3) => store.createRun({ id, manifest: sampleManifest(), planned });
    const pause = () => new Promise((r) => setTimeout(r, 3));

    describe('runs', () => {
      it('creates a running run with zero cost and the manifest it was given', async () => {
        const manifest = sampleManifest({ project: hostile[0] as string });
        const run = await store.createRun({ id: 'run-aaaa-1', manifest, planned: 12 });
        expect(run).toStrictEqual({
          id: 'run-aaaa-1',
          status: 'running',
          manifest,
          createdAt: run.createdAt,
          planned: 12,
          cost: 0,
          costUnknown: false,
        });
        expect(new Date(run.createdAt).toISOString()).toBe(run.createdAt);
        expect(await store.getRun('run-aaaa-1')).toStrictEqual(run);
      });

      it('returns undefined for an unknown run and refuses a duplicate id', async () => {
        expect(await store.getRun('nope')).toBeUndefined();
        await newRun('dup-run-1');
        await expect(newRun('dup-run-1')).rejects.toThrow(/already exists/);
        expect(await store.listRuns()).toHaveLength(1);
      });

      it('lists runs newest first, with a limit', async () => {
        expect(await store.listRuns()).toEqual([]);
        for (const id of ['first-run', 'second-run', 'third-run']) {
          await newRun(id);
          await pause();
        }
        expect((await store.listRuns()).map((r) => r.id)).toEqual(['third-run', 'second-run', 'first-run']);
        expect((await store.listRuns({ limit: 2 })).map((r) => r.id)).toEqual(['third-run', 'second-run']);
        expect(await store.listRuns({ limit: 0 })).toEqual([]);
      });

      it('lists runs created within the same millisecond in creation order', async () => {
        const ids = Array.from({ length: 20 }, (_, i) => `burst-${String(i).padStart(2, '0')}`);
        for (const id of ids) await newRun(id);
        expect((await store.listRuns()).map((r) => r.id)).toEqual(ids.toReversed());
      });

      it('finds a run by exact id, unique prefix, latest, or latest~N', async () => {
        await newRun('20250101-abcdef');
        await pause();
        await newRun('20250102-123456');
        expect((await store.findRun('20250101-abcdef'))?.id).toBe('20250101-abcdef');
        expect((await store.findRun('20250102'))?.id).toBe('20250102-123456');
        expect((await store.findRun('latest'))?.id).toBe('20250102-123456');
        expect((await store.findRun('latest~0'))?.id).toBe('20250102-123456');
        expect((await store.findRun('latest~1'))?.id).toBe('20250101-abcdef');
        expect(await store.findRun('latest~2')).toBeUndefined();
        expect(await store.findRun('nope-nope')).toBeUndefined();
      });

      it('needs at least 4 characters of prefix', async () => {
        await newRun('abcdef-run');
        expect(await store.findRun('abc')).toBeUndefined();
        expect((await store.findRun('abcd'))?.id).toBe('abcdef-run');
        expect(await store.findRun('')).toBeUndefined();
      });

      it('an exact id wins over a prefix of a longer id', async () => {
        await newRun('abcd');
        await newRun('abcd-longer');
        expect((await store.findRun('abcd'))?.id).toBe('abcd');
      });

      it('rejects an ambiguous prefix with an AssayError naming the candidates', async () => {
        await newRun('2025-run-one');
        await newRun('2025-run-two');
        const error = await store.findRun('2025-run').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(AssayError);
        expect((error as AssayError).exitCode).toBe(2);
        expect((error as Error).message).toContain('2025-run-one');
        expect((error as Error).message).toContain('2025-run-two');
        expect((error as Error).message).toMatch(/ambiguous/);
      });

      it('treats a prefix literally (no wildcards) and finds nothing on an empty store', async () => {
        expect(await store.findRun('latest')).toBeUndefined();
        await newRun('ab%d-run');
        await newRun('abxd_run');
        expect(await store.findRun('ab_d')).toBeUndefined();
        expect((await store.findRun('ab%d'))?.id).toBe('ab%d-run');
        expect(await store.findRun('a%%%')).toBeUndefined();
      });

      it('stores hostile run ids and manifests verbatim', async () => {
        for (const [i, text] of hostile.entries()) {
          const manifest = sampleManifest({
            project: text,
            prompts: [{ name: text, version: 'v', file: text, source: text }],
          });
          await store.createRun({ id: `${text}#${i}`, manifest, planned: 1 });
          expect((await store.getRun(`${text}#${i}`))?.manifest).toStrictEqual(manifest);
        }
        expect(await store.listRuns()).toHaveLength(hostile.length);
      });

      it('changes status; a finished status sets finishedAt, running clears it', async () => {
        await newRun('status-run');
        await store.setRunStatus('status-run', 'interrupted');
        const interrupted = await store.getRun('status-run');
        expect(interrupted?.status).toBe('interrupted');
        expect(new Date(interrupted?.finishedAt as string).toISOString()).toBe(interrupted?.finishedAt);
        await store.setRunStatus('status-run', 'running');
        const resumed = await store.getRun('status-run');
        expect(resumed?.status).toBe('running');
        expect(resumed).not.toHaveProperty('finishedAt');
        for (const status of ['completed', 'over-budget', 'failed'] as const) {
          await store.setRunStatus('status-run', status);
          expect((await store.getRun('status-run'))?.status).toBe(status);
        }
      });

      it('rejects a status change for an unknown run', async () => {
        await expect(store.setRunStatus('missing-run', 'completed')).rejects.toThrow(/missing-run/);
      });
    });

    describe('results', () => {
      it('round-trips every field exactly', async () => {
        await newRun('rt-run');
        const full = sampleResult({
          runId: 'rt-run',
          caseId: 'full',
          prompt: 'triage',
          promptVersion: 'v2def',
          modelId: 'openai:gpt-4o-mini',
          repeat: 2,
          status: 'fail',
          output: '{"answer": "refund"}',
          toolCalls: [
            { id: 'call_1', name: 'lookup', arguments: { order: 123, deep: { list: [1, 'two', null] } } },
            { name: 'raw', arguments: 'not json {' },
          ],
          checks: [
            {
              type: 'contains',
              name: 'mentions refund',
              pass: true,
              score: 1,
              reason: 'ok',
              details: { at: 3 },
            },
            {
              type: 'json-schema',
              pass: false,
              score: 0.25,
              reason: 'missing field',
              details: { path: '/a' },
            },
          ],
          score: 0.625,
          usage: { inputTokens: 1234, outputTokens: 56, totalTokens: 1290 },
          latencyMs: 812.5,
          cost: 0.000123456789,
          attempts: 3,
          cached: false,
          category: 'edge',
          tags: ['billing', 'refund'],
          cluster: 'doc-7',
          trajectory: {
            steps: [
              {
                type: 'llm',
                turn: 0,
                toolCalls: [{ id: 'c1', name: 'lookup', arguments: { id: 7 } }],
                cost: 0.1,
              },
              { type: 'tool', turn: 0, name: 'lookup', args: { id: 7 }, callId: 'c1', text: '{"ok":true}' },
              { type: 'llm', turn: 0, text: 'done ✓', cached: true, cost: null },
            ],
            termination: 'final-answer',
            messages: [
              { role: 'user', content: 'refund order 7' },
              {
                role: 'assistant',
                content: '',
                toolCalls: [{ id: 'c1', name: 'lookup', arguments: { id: 7 } }],
              },
              { role: 'tool', content: '{"ok":true}', toolCallId: 'c1', name: 'lookup' },
              { role: 'assistant', content: 'done ✓' },
            ],
            state: { refunded: [7] },
          },
          finishReason: 'length',
          createdAt: '2025-02-03T04:05:06.789Z',
        });
        const errored = sampleResult({
          runId: 'rt-run',
          caseId: 'errored',
          status: 'error',
          checks: [],
          error: { kind: 'rate-limit', message: '429 Too Many Requests' },
          usage: {},
          cost: null,
          attempts: 4,
          cached: false,
        });
        const minimal = sampleResult({ runId: 'rt-run', caseId: 'minimal', cached: true, cost: 0 });
        const zeros = sampleResult({
          runId: 'rt-run',
          caseId: 'zeros',
          output: '',
          toolCalls: [],
          tags: [],
          score: 0,
          latencyMs: 0,
          cost: 0,
          checks: [],
          category: '',
        });
        await store.writeResults([full, errored, minimal, zeros]);
        expect(await collect(store.iterateResults('rt-run'))).toStrictEqual([full, errored, minimal, zeros]);
      });

      it('stores unicode and hostile text verbatim in every text field', async () => {
        const runId = "run'); DROP TABLE runs;--";
        await newRun(runId);
        const written = hostile.map((text, i) =>
          sampleResult({
            runId,
            caseId: `${text}#${i}`,
            prompt: text,
            promptVersion: text,
            modelId: text,
            output: text,
            toolCalls: [{ name: text, arguments: text }],
            checks: [{ type: 'regex', pass: false, reason: text, details: { [text]: text } }],
            error: { kind: 'bad-response', message: text },
            category: text,
            tags: [text],
            cluster: text,
            finishReason: text,
          }),
        );
        await store.writeResults(written);
        expect(await collect(store.iterateResults(runId))).toStrictEqual(written);
        expect(await store.completedKeys(runId)).toEqual(new Set(written.map(resultKey)));
        expect(await store.listRuns()).toHaveLength(1);
      });

      it('keeps NUL and control characters in model text: output, tool calls, checks, error', async () => {
        await newRun('nul-run');
        const text = 'before\u0000after \u0001\u001f\u007f\u2028\u2029\ufeff end';
        const written = sampleResult({
          runId: 'nul-run',
          caseId: 'nul',
          output: text,
          toolCalls: [{ name: 'tool', arguments: { text } }],
          checks: [{ type: 'regex', pass: false, reason: text, details: { text } }],
          error: { kind: 'bad-response', message: text },
          tags: [text],
        });
        await store.writeResults([written]);
        expect(await collect(store.iterateResults('nul-run'))).toStrictEqual([written]);
        await store.putCached('nul-key', { text, toolCalls: [], usage: {}, latencyMs: 1 });
        expect((await store.getCached('nul-key'))?.text).toBe(text);
      });

      it('upserts on (run, prompt version, model, case, repeat): the new result replaces the old in place', async () => {
        await newRun('upsert-run');
        const a = sampleResult({
          runId: 'upsert-run',
          caseId: 'a',
          status: 'error',
          cost: null,
          error: { kind: 'timeout', message: 't' },
        });
        const b = sampleResult({ runId: 'upsert-run', caseId: 'b' });
        await store.writeResults([a, b]);
        const a2 = sampleResult({
          runId: 'upsert-run',
          caseId: 'a',
          status: 'pass',
          output: 'retried',
          attempts: 2,
        });
        await store.writeResults([a2]);
        await store.writeResults([a2]);
        expect(await store.countResults('upsert-run')).toBe(2);
        expect(await collect(store.iterateResults('upsert-run'))).toStrictEqual([a2, b]);
      });

      it('keeps results apart when any part of the key differs', async () => {
        await newRun('key-run');
        await newRun('other-run');
        const base = { runId: 'key-run', caseId: 'c' };
        const variants = [
          sampleResult(base),
          sampleResult({ ...base, repeat: 1 }),
          sampleResult({ ...base, modelId: 'fake:other' }),
          sampleResult({ ...base, promptVersion: 'v9' }),
          sampleResult({ ...base, caseId: 'c2' }),
          sampleResult({ ...base, runId: 'other-run' }),
        ];
        await store.writeResults(variants);
        expect(await store.countResults('key-run')).toBe(5);
        expect(await store.countResults('other-run')).toBe(1);
        expect((await store.completedKeys('key-run')).size).toBe(5);
      });

      it('stores cache entries in the same batch as results, atomically', async () => {
        await newRun('cache-batch');
        const value = { text: 'answer', toolCalls: [], usage: { inputTokens: 3 }, latencyMs: 5 };
        await store.writeResults(
          [sampleResult({ runId: 'cache-batch', caseId: 'a' })],
          [{ key: 'k-batch', value }],
        );
        expect(await store.getCached('k-batch')).toEqual(value);
        await expect(
          store.writeResults(
            [sampleResult({ runId: 'no-such-run', caseId: 'b' })],
            [{ key: 'k-lost', value }],
          ),
        ).rejects.toThrow(/no-such-run/);
        expect(await store.getCached('k-lost')).toBeUndefined();
      });

      it('completedKeys can leave out errored results (a resume retries them)', async () => {
        await newRun('err-run');
        const ok = sampleResult({ runId: 'err-run', caseId: 'ok', status: 'pass' });
        const bad = sampleResult({
          runId: 'err-run',
          caseId: 'bad',
          status: 'error',
          error: { kind: 'server', message: 'HTTP 500' },
        });
        await store.writeResults([ok, bad]);
        expect(await store.completedKeys('err-run')).toEqual(new Set([resultKey(ok), resultKey(bad)]));
        expect(await store.completedKeys('err-run', { exceptErrors: true })).toEqual(
          new Set([resultKey(ok)]),
        );
      });

      it('accepts an empty batch', async () => {
        await newRun('empty-run');
        await store.writeResults([]);
        expect(await store.countResults('empty-run')).toBe(0);
      });

      it('writes a batch atomically: one bad result (unknown run) stores none of it', async () => {
        await newRun('atomic-run');
        const batch = [
          ...manyResults('atomic-run', 10),
          sampleResult({ runId: 'no-such-run', caseId: 'x' }),
          ...manyResults('atomic-run', 10, 10),
        ];
        await expect(store.writeResults(batch)).rejects.toThrow(/no-such-run/);
        expect(await store.countResults('atomic-run')).toBe(0);
        expect((await store.getRun('atomic-run'))?.cost).toBe(0);
        await store.writeResults(manyResults('atomic-run', 3));
        expect(await store.countResults('atomic-run')).toBe(3);
      });

      it('lists completed keys with resultKey(), per run', async () => {
        await newRun('keys-run');
        await newRun('keys-other');
        const written = [
          sampleResult({ runId: 'keys-run', caseId: 'a' }),
          sampleResult({ runId: 'keys-run', caseId: 'a', repeat: 1 }),
          sampleResult({
            runId: 'keys-run',
            caseId: 'b',
            status: 'error',
            cost: null,
            error: { kind: 'server', message: '500' },
          }),
          sampleResult({ runId: 'keys-other', caseId: 'z' }),
        ];
        await store.writeResults(written);
        expect(await store.completedKeys('keys-run')).toEqual(new Set(written.slice(0, 3).map(resultKey)));
        expect(await store.completedKeys('missing')).toEqual(new Set());
      });

      it('iterates in insertion order across batches, only the asked run', async () => {
        await newRun('order-run');
        await newRun('noise-run');
        await store.writeResults([sampleResult({ runId: 'order-run', caseId: 'z' })]);
        await store.writeResults([
          sampleResult({ runId: 'noise-run', caseId: 'n' }),
          sampleResult({ runId: 'order-run', caseId: 'a' }),
        ]);
        await store.writeResults([sampleResult({ runId: 'order-run', caseId: 'm' })]);
        expect(caseIds(await collect(store.iterateResults('order-run')))).toEqual(['z', 'a', 'm']);
        expect(await collect(store.iterateResults('missing'))).toEqual([]);
      });

      it('streams 10,000 results in order and stays usable after an early break', async () => {
        await newRun('big-run', 10_000);
        for (let start = 0; start < 10_000; start += 100)
          await store.writeResults(manyResults('big-run', 100, start));
        expect(await store.countResults('big-run')).toBe(10_000);
        let i = 0;
        for await (const r of store.iterateResults('big-run')) {
          if (r.caseId !== `case-${String(i).padStart(5, '0')}`)
            throw new Error(`result ${i} out of order: ${r.caseId}`);
          i++;
        }
        expect(i).toBe(10_000);

        let seen = 0;
        for await (const _ of store.iterateResults('big-run')) if (++seen === 10) break;
        expect(seen).toBe(10);
        await store.writeResults(manyResults('big-run', 1, 10_000));
        expect(await store.countResults('big-run')).toBe(10_001);
      });

      it('keeps an open iteration working while results are written', async () => {
        await newRun('live-run');
        await store.writeResults(manyResults('live-run', 50));
        const seen: string[] = [];
        for await (const r of store.iterateResults('live-run')) {
          seen.push(r.caseId);
          if (seen.length === 5) await store.writeResults(manyResults('live-run', 10, 50));
        }
        expect(seen.slice(0, 50)).toEqual(caseIds(manyResults('live-run', 50)));
        expect(await store.countResults('live-run')).toBe(60);
      });

      it('runs two iterations of the same run side by side', async () => {
        await newRun('twin-run');
        await store.writeResults(manyResults('twin-run', 20));
        const a = store.iterateResults('twin-run')[Symbol.asyncIterator]();
        const b = store.iterateResults('twin-run')[Symbol.asyncIterator]();
        const pairs: string[] = [];
        for (let i = 0; i < 20; i++) {
          const [x, y] = await Promise.all([a.next(), b.next()]);
          expect(x.value?.caseId).toBe(y.value?.caseId);
          pairs.push(x.value?.caseId as string);
        }
        expect((await a.next()).done).toBe(true);
        expect((await b.next()).done).toBe(true);
        expect(pairs).toEqual(caseIds(manyResults('twin-run', 20)));
      });

      it('counts results per run', async () => {
        await newRun('count-run');
        expect(await store.countResults('count-run')).toBe(0);
        await store.writeResults(manyResults('count-run', 7));
        expect(await store.countResults('count-run')).toBe(7);
        expect(await store.countResults('missing')).toBe(0);
      });

      it('loses nothing when writeResults calls overlap', async () => {
        await newRun('concurrent-a');
        await newRun('concurrent-b');
        const batches = Array.from({ length: 40 }, (_, b) =>
          manyResults(b % 2 ? 'concurrent-b' : 'concurrent-a', 25, b * 25).map((r) => ({ ...r, cost: 0.01 })),
        );
        await Promise.all(batches.map((batch) => store.writeResults(batch)));
        expect(await store.countResults('concurrent-a')).toBe(500);
        expect(await store.countResults('concurrent-b')).toBe(500);
        expect((await store.getRun('concurrent-a'))?.cost).toBeCloseTo(5, 9);
        expect((await store.getRun('concurrent-b'))?.cost).toBeCloseTo(5, 9);
        const keys = await store.completedKeys('concurrent-a');
        for (const batch of batches.filter((_, b) => b % 2 === 0))
          for (const r of batch) expect(keys.has(resultKey(r))).toBe(true);
      });
    });

    describe('run cost', () => {
      it('sums known costs of non-cached results; cached results spent nothing', async () => {
        await newRun('cost-run');
        await store.writeResults([
          sampleResult({ runId: 'cost-run', caseId: 'a', cost: 0.25 }),
          sampleResult({ runId: 'cost-run', caseId: 'b', cost: 0.5 }),
          sampleResult({ runId: 'cost-run', caseId: 'c', cost: 0.125, cached: true }),
          sampleResult({ runId: 'cost-run', caseId: 'd', cost: null, cached: true }),
        ]);
        const run = await store.getRun('cost-run');
        expect(run?.cost).toBeCloseTo(0.75, 12);
        expect(run?.costUnknown).toBe(false);
      });

      it('flags an unknown price, and clears the flag when that result is replaced by a priced one', async () => {
        await newRun('unknown-run');
        await store.writeResults([
          sampleResult({ runId: 'unknown-run', caseId: 'a', cost: 0.5 }),
          sampleResult({ runId: 'unknown-run', caseId: 'b', cost: null }),
        ]);
        let run = await store.getRun('unknown-run');
        expect(run?.cost).toBeCloseTo(0.5, 12);
        expect(run?.costUnknown).toBe(true);
        await store.writeResults([sampleResult({ runId: 'unknown-run', caseId: 'b', cost: 0.25 })]);
        run = await store.getRun('unknown-run');
        expect(run?.cost).toBeCloseTo(0.75, 12);
        expect(run?.costUnknown).toBe(false);
      });

      it('does not double-count a re-written result', async () => {
        await newRun('rewrite-run');
        const r = sampleResult({ runId: 'rewrite-run', caseId: 'a', cost: 0.5 });
        await store.writeResults([r]);
        await store.writeResults([r, { ...r, cost: 0.75 }]);
        expect((await store.getRun('rewrite-run'))?.cost).toBeCloseTo(0.75, 12);
        await store.writeResults([{ ...r, cost: 0.75, cached: true }]);
        expect((await store.getRun('rewrite-run'))?.cost).toBeCloseTo(0, 12);
      });

      it('keeps each run’s cost to itself', async () => {
        await newRun('cost-x');
        await newRun('cost-y');
        await store.writeResults([
          sampleResult({ runId: 'cost-x', caseId: 'a', cost: 1 }),
          sampleResult({ runId: 'cost-y', caseId: 'a', cost: null }),
        ]);
        expect(await store.getRun('cost-x')).toMatchObject({ cost: 1, costUnknown: false });
        expect(await store.getRun('cost-y')).toMatchObject({ cost: 0, costUnknown: true });
      });
    });

    describe('response cache', () => {
      const response: CachedResponse = {
        text: 'Hello — 你好 🤖',
        toolCalls: [{ name: 'lookup', arguments: { id: 1 } }],
        usage: { inputTokens: 3, outputTokens: 4 },
        latencyMs: 120,
        finishReason: 'stop',
      };

      it('misses, then round-trips a value', async () => {
        expect(await store.getCached('sha256:abc')).toBeUndefined();
        await store.putCached('sha256:abc', response);
        expect(await store.getCached('sha256:abc')).toStrictEqual(response);
      });

      it('overwrites a key and keeps keys apart', async () => {
        await store.putCached('k1', response);
        await store.putCached('k2', { ...response, text: 'two' });
        await store.putCached('k1', { ...response, text: 'one again' });
        expect((await store.getCached('k1'))?.text).toBe('one again');
        expect((await store.getCached('k2'))?.text).toBe('two');
      });

      it('stores hostile keys and text verbatim', async () => {
        for (const text of hostile) await store.putCached(text, { ...response, text });
        for (const text of hostile) expect((await store.getCached(text))?.text).toBe(text);
        expect(await store.getCached('%')).toBeUndefined();
      });
    });

    describe('prompt versions and labels', () => {
      const version = (over: Partial<PromptVersionRecord> = {}): PromptVersionRecord => ({
        name: 'support',
        version: 'a1b2c3d4e5f6',
        file: 'prompts/support.prompt.md',
        source: '---\nname: support\n---\n# system\nBe kind.\n',
        createdAt: '2025-01-01T10:00:00.000Z',
        ...over,
      });

      it('round-trips a version with every field, and one with only the required ones', async () => {
        const full = version({
          parent: '000011112222',
          author: hostile[4] as string,
          gitCommit: 'deadbeefcafe',
          message: hostile[0] as string,
          source: hostile.join('\n'),
        });
        const bare = version({ version: 'ffff00001111', createdAt: '2025-01-02T10:00:00.000Z' });
        await store.putPromptVersion(full);
        await store.putPromptVersion(bare);
        expect(await store.getPromptVersion('support', full.version)).toStrictEqual(full);
        expect(await store.getPromptVersion('support', bare.version)).toStrictEqual(bare);
        expect(await store.getPromptVersion('other', full.version)).toBeUndefined();
        expect(await store.getPromptVersion('support', 'nope00000000')).toBeUndefined();
      });

      it('keeps the first write of a (name, version)', async () => {
        await store.putPromptVersion(version({ message: 'first' }));
        await store.putPromptVersion(version({ message: 'second', source: 'changed' }));
        const got = await store.getPromptVersion('support', 'a1b2c3d4e5f6');
        expect(got?.message).toBe('first');
        expect(got?.source).toBe(version().source);
        expect(await store.listPromptVersions('support')).toHaveLength(1);
      });

      it('finds a version by a unique prefix of 4 or more characters, per prompt name', async () => {
        await store.putPromptVersion(version({ version: 'abcd11110000' }));
        await store.putPromptVersion(
          version({ version: 'abcd22220000', createdAt: '2025-01-02T00:00:00.000Z' }),
        );
        await store.putPromptVersion(version({ name: 'billing', version: 'abce33330000' }));
        expect((await store.getPromptVersion('support', 'abcd1'))?.version).toBe('abcd11110000');
        expect((await store.getPromptVersion('billing', 'abc'))?.version).toBeUndefined();
        expect((await store.getPromptVersion('billing', 'abce'))?.version).toBe('abce33330000');
        expect(await store.getPromptVersion('support', 'abce')).toBeUndefined();
        expect(await store.getPromptVersion('support', '%')).toBeUndefined();
        const ambiguous = await store.getPromptVersion('support', 'abcd').catch((e: unknown) => e);
        expect(ambiguous).toBeInstanceOf(AssayError);
        expect((ambiguous as AssayError).exitCode).toBe(2);
        expect((ambiguous as AssayError).message).toMatch(
          /ambiguous[\s\S]*abcd11110000[\s\S]*abcd22220000|ambiguous[\s\S]*abcd22220000[\s\S]*abcd11110000/,
        );
      });

      it('lists versions newest first, for one prompt or all', async () => {
        await store.putPromptVersion(
          version({ version: 'v1v1v1v1v1v1', createdAt: '2025-01-01T00:00:00.000Z' }),
        );
        await store.putPromptVersion(
          version({ version: 'v3v3v3v3v3v3', createdAt: '2025-01-03T00:00:00.000Z' }),
        );
        await store.putPromptVersion(
          version({ version: 'v2v2v2v2v2v2', createdAt: '2025-01-02T00:00:00.000Z' }),
        );
        await store.putPromptVersion(
          version({ name: 'billing', version: 'b1b1b1b1b1b1', createdAt: '2025-01-04T00:00:00.000Z' }),
        );
        expect((await store.listPromptVersions('support')).map((v) => v.version)).toStrictEqual([
          'v3v3v3v3v3v3',
          'v2v2v2v2v2v2',
          'v1v1v1v1v1v1',
        ]);
        expect((await store.listPromptVersions()).map((v) => v.version)).toStrictEqual([
          'b1b1b1b1b1b1',
          'v3v3v3v3v3v3',
          'v2v2v2v2v2v2',
          'v1v1v1v1v1v1',
        ]);
        expect(await store.listPromptVersions('nobody')).toStrictEqual([]);
      });

      it('keeps label history newest first, filtered by prompt and label, and ignores a repeated event', async () => {
        const first: LabelEvent = {
          name: 'support',
          label: 'production',
          version: 'v1v1v1v1v1v1',
          movedAt: '2025-01-01T00:00:00.000Z',
        };
        const second: LabelEvent = {
          name: 'support',
          label: 'production',
          version: 'v2v2v2v2v2v2',
          previous: 'v1v1v1v1v1v1',
          movedAt: '2025-01-02T00:00:00.000Z',
          author: hostile[4] as string,
          message: hostile[1] as string,
        };
        const staging: LabelEvent = { ...first, label: 'staging', movedAt: '2025-01-03T00:00:00.000Z' };
        const other: LabelEvent = { ...first, name: 'billing', movedAt: '2025-01-04T00:00:00.000Z' };
        for (const e of [first, second, staging, other, second, first]) await store.recordLabelEvent(e);
        expect(await store.labelHistory('support', 'production')).toStrictEqual([second, first]);
        expect(await store.labelHistory('support')).toStrictEqual([staging, second, first]);
        expect(await store.labelHistory()).toStrictEqual([other, staging, second, first]);
        expect(await store.labelHistory('support', 'nope')).toStrictEqual([]);
      });
    });

    describe('annotations', () => {
      const keyA = annotationKey('Yes, within 30 days.', 'refund', 'v1v1v1v1v1v1');
      const keyB = annotationKey('I promise it arrives tomorrow.', 'shipping', 'v1v1v1v1v1v1');
      // `verdict: undefined` in `over` leaves the field out, as the file parser does.
      const note = (over: Partial<Annotation> = {}): Annotation =>
        Object.fromEntries(
          Object.entries({
            key: keyA,
            runId: 'run-annot-1',
            caseId: 'refund',
            promptVersion: 'v1v1v1v1v1v1',
            annotator: 'ana',
            verdict: 'pass',
            at: '2025-01-01T10:00:00.000Z',
            ...over,
          }).filter(([, v]) => v !== undefined),
        ) as unknown as Annotation;
      const suite = (records: Annotation[], name = 'support') => records.map((a) => ({ ...a, suite: name }));

      it('round-trips every field: verdict, score, retraction, unicode and hostile notes, NUL', async () => {
        const records: Annotation[] = [
          note({ note: hostile[4] as string }),
          note({ verdict: undefined, score: 0, at: '2025-01-01T10:00:01.000Z' }),
          note({ verdict: undefined, score: 3.25, note: hostile.join('\n'), at: '2025-01-01T10:00:02.000Z' }),
          note({ verdict: undefined, retracted: true, at: '2025-01-01T10:00:03.000Z' }),
          {
            key: keyB,
            caseId: 'shipping',
            annotator: hostile[0] as string,
            verdict: 'fail',
            at: '2025-01-01T10:00:04.000Z',
          },
          note({ key: keyB, note: 'nul\u0000 inside, \uE000 marker', at: '2025-01-01T10:00:05.000Z' }),
        ];
        expect(await store.mirrorAnnotations('support', records)).toBe(6);
        const stored = await store.listAnnotations();
        expect(stored).toStrictEqual(suite(records));
        // Neither verdict nor score: both absent, not null or undefined-valued keys.
        expect(Object.keys(stored[3] as object).sort()).toEqual(
          ['annotator', 'at', 'caseId', 'key', 'promptVersion', 'retracted', 'runId', 'suite'].sort(),
        );
        expect(stored[1]?.score).toBe(0);
      });

      it('mirroring the same file again stores nothing twice; a grown file adds only its new lines', async () => {
        const file = [
          note(),
          note({ key: keyB, caseId: 'shipping', verdict: 'fail', at: '2025-01-01T10:05:00.000Z' }),
        ];
        expect(await store.mirrorAnnotations('support', file)).toBe(2);
        expect(await store.mirrorAnnotations('support', file)).toBe(0);
        const grown = [
          ...file,
          note({ verdict: 'fail', note: 'changed my mind', at: '2025-01-01T11:00:00.000Z' }),
        ];
        expect(await store.mirrorAnnotations('support', grown)).toBe(1);
        expect(await store.mirrorAnnotations('support', grown)).toBe(0);
        expect(await store.listAnnotations()).toStrictEqual(suite(grown));
        // A line repeated within one call counts once.
        const again = note({ annotator: 'bob', at: '2025-01-02T00:00:00.000Z' });
        expect(await store.mirrorAnnotations('support', [again, again])).toBe(1);
        expect(await store.listAnnotations({ key: keyA })).toHaveLength(3);
      });

      it('keeps two different lines that share key, annotator and time (an import stamps one time)', async () => {
        const pass = note({ at: '2025-03-01T00:00:00.000Z' });
        const fail = note({ verdict: 'fail', at: '2025-03-01T00:00:00.000Z' });
        expect(await store.mirrorAnnotations('support', [pass, fail])).toBe(2);
        expect((await store.listAnnotations()).map((a) => a.verdict)).toEqual(['pass', 'fail']);
      });

      it('orders by time (whatever the offset written), then in the order stored', async () => {
        const late = note({ caseId: 'late', at: '2025-01-01T12:00:00.000Z' });
        const offset = note({ caseId: 'offset', at: '2025-01-01T13:30:00+02:00' }); // 11:30Z
        const early = note({ caseId: 'early', at: '2025-01-01T09:00:00.000Z' });
        const tie1 = note({ caseId: 'tie-1', at: '2025-01-01T10:00:00.000Z' });
        const tie2 = note({ caseId: 'tie-2', at: '2025-01-01T10:00:00.000Z' });
        const tie3 = note({ caseId: 'tie-3', at: '2025-01-01T10:00:00.000Z' });
        await store.mirrorAnnotations('support', [late, tie2, offset]);
        await store.mirrorAnnotations('billing', [tie1, early]);
        await store.mirrorAnnotations('support', [tie3]);
        expect((await store.listAnnotations()).map((a) => a.caseId)).toEqual([
          'early',
          'tie-2',
          'tie-1',
          'tie-3',
          'offset',
          'late',
        ]);
        expect((await store.listAnnotations({ suite: 'billing' })).map((a) => a.caseId)).toEqual([
          'early',
          'tie-1',
        ]);
      });

      it('filters by suite and key; the same line in two suites is kept in each', async () => {
        const a = note();
        const b = note({ key: keyB, caseId: 'shipping', at: '2025-01-01T10:01:00.000Z' });
        await store.mirrorAnnotations('support', [a, b]);
        expect(await store.mirrorAnnotations(hostile[0] as string, [a])).toBe(1);
        expect(await store.listAnnotations({ suite: 'support' })).toStrictEqual(suite([a, b]));
        expect(await store.listAnnotations({ suite: hostile[0] as string })).toStrictEqual(
          suite([a], hostile[0] as string),
        );
        expect(await store.listAnnotations({ key: keyB })).toStrictEqual(suite([b]));
        expect(await store.listAnnotations({ suite: 'support', key: keyA })).toStrictEqual(suite([a]));
        expect(await store.listAnnotations({ suite: 'nope' })).toStrictEqual([]);
        expect(await store.listAnnotations({ suite: '%' })).toStrictEqual([]);
      });

      it('refuses a batch holding an invalid record and stores none of it (exit 2)', async () => {
        for (const bad of [
          note({ at: 'yesterday-ish' }),
          note({ verdict: 'maybe' as 'pass' }),
          note({ verdict: undefined, score: Number.NaN }),
          note({ annotator: '' }),
        ]) {
          const error = await store.mirrorAnnotations('support', [note(), bad]).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(AssayError);
          expect((error as AssayError).exitCode).toBe(2);
          expect((error as AssayError).message).toMatch(/annotation 2 of suite 'support'/);
        }
        await expect(store.mirrorAnnotations(' ', [note()])).rejects.toMatchObject({ exitCode: 2 });
        expect(await store.listAnnotations()).toStrictEqual([]);
        expect(await store.mirrorAnnotations('support', [])).toBe(0);
      });
    });

    it('close() can be called twice', async () => {
      await store.close();
      await store.close();
    });
  });
}
