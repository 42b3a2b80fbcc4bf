import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../core/types.ts';
import type { Store } from '../store/store.ts';
import { createResultWriter } from './result-writer.ts';

function record(i: number): ResultRecord {
  return {
    runId: 'r',
    prompt: 'p',
    promptVersion: 'v',
    modelId: 'fake:x',
    caseId: `c${i}`,
    repeat: 0,
    status: 'pass',
    checks: [],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    createdAt: new Date(0).toISOString(),
  };
}

/** Only writeResults is used by the writer. */
function fakeStore(fail = false): Store & { batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    async writeResults(rs: ResultRecord[]) {
      await new Promise((r) => setTimeout(r, 1));
      if (fail) throw new Error('disk full');
      batches.push(rs.length);
    },
  } as unknown as Store & { batches: number[] };
}

describe('createResultWriter', () => {
  it('writes full batches at once and the rest on flush, in order', async () => {
    const store = fakeStore();
    const seen: string[] = [];
    const w = createResultWriter(store, {
      batchSize: 3,
      intervalMs: 10_000,
      onWritten: (b) => seen.push(...b.map((r) => r.caseId)),
    });
    for (let i = 0; i < 7; i++) await w.add(record(i));
    expect(store.batches).toEqual([3, 3]);
    await w.close();
    expect(store.batches).toEqual([3, 3, 1]);
    expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
    expect(w.written).toBe(7);
  });

  it('a partial batch is written after intervalMs', async () => {
    const store = fakeStore();
    const w = createResultWriter(store, { batchSize: 50, intervalMs: 20 });
    await w.add(record(0));
    expect(store.batches).toEqual([]);
    await new Promise((r) => setTimeout(r, 60));
    expect(store.batches).toEqual([1]);
    await w.close();
  });

  it('a failed write is reported once and rethrown by close', async () => {
    const errors: unknown[] = [];
    const w = createResultWriter(fakeStore(true), { batchSize: 1, onError: (e) => errors.push(e) });
    await w.add(record(0));
    await w.add(record(1));
    await expect(w.close()).rejects.toThrow('disk full');
    expect(errors).toHaveLength(1);
    expect(w.written).toBe(0);
  });
});
