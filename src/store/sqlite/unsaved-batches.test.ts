import { appendFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../core/types.ts';
import { openSqliteStore } from './sqlite-store.ts';
import { keepUnsaved, unsavedPath } from './unsaved-batches.ts';

const manifest = { schemaVersion: 1 } as never;
const result = (caseId: string): ResultRecord => ({
  runId: 'r1',
  prompt: 'p',
  promptVersion: 'v1',
  modelId: 'fake:x',
  caseId,
  repeat: 0,
  status: 'pass',
  checks: [],
  usage: {},
  cost: 0.5,
  attempts: 1,
  cached: false,
  createdAt: '2025-01-01T00:00:00.000Z',
});

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-unsaved-'));
  file = join(dir, 'assay.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('batches refused by a lock are kept and written in on the next open', () => {
  it('a write under another writer’s lock: clear error, batch kept; reopening stores it exactly once', async () => {
    const store = openSqliteStore(file);
    await store.createRun({ id: 'r1', manifest, planned: 3 });
    await store.writeResults([result('a')]);
    const other = new DatabaseSync(file);
    other.exec('PRAGMA busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    await expect(
      store.writeResults(
        [result('b'), result('c')],
        [{ key: 'k', value: { text: 'x', toolCalls: [], usage: {}, latencyMs: 1 } }],
      ),
    ).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(
        /locked by another process .*the 2 answers of this batch are kept in .*assay\.db\.unsaved\.jsonl/,
      ),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500); // the busy timeout was waited for
    other.exec('COMMIT');
    other.close();
    await store.close();
    expect(existsSync(unsavedPath(file))).toBe(true);

    const reopened = openSqliteStore(file);
    expect(existsSync(unsavedPath(file))).toBe(false);
    expect(await reopened.countResults('r1')).toBe(3);
    expect((await reopened.getRun('r1'))?.cost).toBe(1.5);
    expect(await reopened.getCached('k')).toMatchObject({ text: 'x' });
    await reopened.close();
    // a second open finds nothing more to do
    const again = openSqliteStore(file);
    expect(await again.countResults('r1')).toBe(3);
    await again.close();
  }, 15_000);

  it('a torn last line (died while appending) and results of unknown runs are skipped', async () => {
    const store = openSqliteStore(file);
    await store.createRun({ id: 'r1', manifest, planned: 3 });
    await store.close();
    expect(keepUnsaved(file, [result('a'), { ...result('z'), runId: 'gone' }], [])).toBe(true);
    appendFileSync(unsavedPath(file), '{"results": [{"runId": "r1", "caseI');
    const reopened = openSqliteStore(file);
    expect(await reopened.countResults('r1')).toBe(1);
    expect(existsSync(unsavedPath(file))).toBe(false);
    await reopened.close();
  });
});
