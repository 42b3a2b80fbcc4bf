import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/core/types.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { sampleManifest, sampleResult } from './sample-records.ts';
import { describeStoreConformance } from './store-conformance.ts';

const childScript = fileURLToPath(new URL('./sqlite-child.ts', import.meta.url));

describeStoreConformance('SQLite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'assay-store-'));
  const store = openSqliteStore(join(dir, 'nested', 'assay.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeStoreConformance('SQLite (:memory:)', async () => {
  const store = openSqliteStore(':memory:');
  return { store, cleanup: () => store.close() };
});

function runChild(
  args: string[],
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

function integrity(file: string): string {
  const db = new DatabaseSync(file);
  try {
    return (db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  } finally {
    db.close();
  }
}

describe('SQLite store on a file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-store-'));
    file = join(dir, '.assay', 'assay.db');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const results = (runId: string, n: number, start = 0): ResultRecord[] =>
    Array.from({ length: n }, (_, i) =>
      sampleResult({ runId, caseId: `${runId}-${start + i}`, cost: 0.001 }),
    );

  it('creates the parent folder, and a re-opened store sees the data', async () => {
    const store = openSqliteStore(file);
    expect(store.path).toBe(file);
    expect(existsSync(file)).toBe(true);
    await store.createRun({ id: 'persist-run', manifest: sampleManifest(), planned: 5 });
    await store.writeResults(results('persist-run', 5));
    await store.setRunStatus('persist-run', 'completed');
    await store.putCached('key', { text: 't', toolCalls: [], usage: {}, latencyMs: 1 });
    await store.close();
    expect(existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0).toBe(0); // checkpointed on close

    const again = openSqliteStore(file);
    const run = await again.findRun('latest');
    expect(run).toMatchObject({ id: 'persist-run', status: 'completed', planned: 5, costUnknown: false });
    expect(run?.cost).toBeCloseTo(0.005, 12);
    expect(await again.countResults('persist-run')).toBe(5);
    expect(await again.getCached('key')).toEqual({ text: 't', toolCalls: [], usage: {}, latencyMs: 1 });
    await again.close();
  });

  it('two stores open on the same file do not corrupt it', async () => {
    const a = openSqliteStore(file);
    const b = openSqliteStore(file);
    await a.createRun({ id: 'run-a', manifest: sampleManifest(), planned: 100 });
    await b.createRun({ id: 'run-b', manifest: sampleManifest(), planned: 100 });
    for (let start = 0; start < 100; start += 25) {
      await Promise.all([
        a.writeResults(results('run-a', 25, start)),
        b.writeResults(results('run-b', 25, start)),
      ]);
    }
    expect(await a.countResults('run-b')).toBe(100);
    expect((await b.listRuns()).map((r) => r.id).sort()).toEqual(['run-a', 'run-b']);
    await a.close();
    await b.close();
    expect(integrity(file)).toBe('ok');
    const again = openSqliteStore(file);
    expect(await again.countResults('run-a')).toBe(100);
    expect(await again.countResults('run-b')).toBe(100);
    await again.close();
  });

  it('another process writing at the same time does not corrupt it', async () => {
    const store = openSqliteStore(file);
    await store.createRun({ id: 'parent-run', manifest: sampleManifest(), planned: 2000 });
    const child = runChild(['write', file, 'child-run', '2000']);
    for (let start = 0; start < 2000; start += 50) {
      await store.writeResults(results('parent-run', 50, start));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { code, stderr } = await child;
    expect(stderr.replace(/.*ExperimentalWarning.*\n|.*--trace-warnings.*\n/g, '')).toBe('');
    expect(code).toBe(0);
    expect(await store.countResults('child-run')).toBe(2000);
    expect(await store.countResults('parent-run')).toBe(2000);
    expect((await store.getRun('child-run'))?.cost).toBeCloseTo(2, 9);
    await store.close();
    expect(integrity(file)).toBe('ok');
  });

  it('a process killed in the middle of a batch leaves none of that batch', async () => {
    const { signal } = await runChild(['crash', file, 'crash-run', '40']);
    expect(signal).toBe('SIGKILL');
    expect(integrity(file)).toBe('ok');
    const store = openSqliteStore(file);
    expect(await store.countResults('crash-run')).toBe(10);
    expect((await store.getRun('crash-run'))?.cost).toBeCloseTo(0.01, 12);
    await store.writeResults(results('crash-run', 40, 10));
    expect(await store.countResults('crash-run')).toBe(50);
    await store.close();
  });

  it('refuses a store written by a newer Assay, naming both schema versions (exit 2)', async () => {
    const store = openSqliteStore(file);
    const known = store.schemaVersion;
    await store.close();
    const db = new DatabaseSync(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      known + 1,
      'future',
      'x',
    );
    db.close();
    expect(() => openSqliteStore(file)).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: expect.stringContaining(
          `this store was written by a newer Assay (schema ${known + 1} > ${known}); upgrade assay`,
        ),
      }),
    );
  });

  it('names the file when it cannot be opened (exit 2)', async () => {
    const notADb = join(dir, 'folder.db');
    await openSqliteStore(join(notADb, 'x.db')).close(); // makes notADb a folder
    expect(() => openSqliteStore(notADb)).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringContaining(notADb) }),
    );
  });
});
