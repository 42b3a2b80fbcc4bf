import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dbPush } from '../../src/app/db-push.ts';
import type { ResultRecord } from '../../src/core/types.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { sampleManifest, sampleResult } from '../store-conformance/sample-records.ts';

let dir: string;
let from: SqliteStore;
let to: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-push-'));
  from = openSqliteStore(join(dir, 'local.db'));
  to = openSqliteStore(join(dir, 'team.db'));
});
afterEach(async () => {
  await from.close();
  await to.close();
  rmSync(dir, { recursive: true, force: true });
});

const results = (runId: string, n: number, extra: Partial<ResultRecord> = {}) =>
  Array.from({ length: n }, (_, i) =>
    sampleResult({ runId, caseId: `c${i}`, cost: 0.01, status: i % 3 === 0 ? 'fail' : 'pass', ...extra }),
  );

async function seed() {
  await from.createRun({ id: 'run-a', manifest: sampleManifest(), planned: 7 });
  await from.writeResults(results('run-a', 7));
  await from.setRunStatus('run-a', 'completed');
  await from.createRun({ id: 'run-b', manifest: sampleManifest(), planned: 5 });
  await from.writeResults(results('run-b', 3));
  await from.setRunStatus('run-b', 'interrupted');
  await from.putPromptVersion({
    name: 'triage',
    version: 'v1abc0000000',
    file: 'prompts/triage.prompt.md',
    source: '---\nname: triage\n---\nHi',
    createdAt: '2025-01-01T00:00:00.000Z',
  });
  await from.putPromptVersion({
    name: 'triage',
    version: 'v2def0000000',
    parent: 'v1abc0000000',
    file: 'prompts/triage.prompt.md',
    source: '---\nname: triage\n---\nHello',
    message: 'friendlier',
    createdAt: '2025-01-02T00:00:00.000Z',
  });
  await from.recordLabelEvent({
    name: 'triage',
    label: 'production',
    version: 'v1abc0000000',
    movedAt: '2025-01-01T01:00:00.000Z',
  });
  await from.recordLabelEvent({
    name: 'triage',
    label: 'production',
    version: 'v2def0000000',
    previous: 'v1abc0000000',
    movedAt: '2025-01-02T01:00:00.000Z',
  });
  const note = { key: 'a'.repeat(64), caseId: 'c0', annotator: 'ana', at: '2025-01-03T00:00:00.000Z' };
  await from.mirrorAnnotations('support', [
    { ...note, verdict: 'pass', runId: 'run-a', note: 'clear' },
    { ...note, score: 4, at: '2025-01-03T00:01:00.000Z' },
  ]);
  await from.mirrorAnnotations('billing', [{ ...note, verdict: 'fail', at: '2025-01-02T00:00:00.000Z' }]);
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('dbPush (SQLite → SQLite)', () => {
  it('copies runs, results, status, cost, prompt versions and label history', async () => {
    await seed();
    const progress: string[] = [];
    const r = await dbPush({
      from,
      to,
      batchSize: 2,
      onProgress: (p) => progress.push(`${p.run}:${p.results}`),
    });
    expect(r).toEqual({
      runs: { copied: 2, skipped: 0 },
      results: 10,
      promptVersions: 2,
      labelEvents: 2,
      annotations: 3,
    });
    expect(progress).toContain('run-a:7');
    for (const id of ['run-a', 'run-b']) {
      const a = await from.getRun(id);
      const b = await to.getRun(id);
      expect(b?.status).toBe(a?.status);
      expect(b?.manifest).toEqual(a?.manifest);
      expect(b?.planned).toBe(a?.planned);
      expect(b?.cost).toBeCloseTo(a?.cost ?? -1, 10);
      expect(await collect(to.iterateResults(id))).toEqual(await collect(from.iterateResults(id)));
    }
    // the newest run of the source is the newest of the target
    expect((await to.findRun('latest'))?.id).toBe('run-b');
    expect(await to.listPromptVersions('triage')).toEqual(await from.listPromptVersions('triage'));
    expect(await to.labelHistory('triage', 'production')).toEqual(
      await from.labelHistory('triage', 'production'),
    );
    expect(await to.listAnnotations()).toStrictEqual(await from.listAnnotations());
  });

  it('run twice copies each run once', async () => {
    await seed();
    await dbPush({ from, to });
    const again = await dbPush({ from, to });
    expect(again).toEqual({
      runs: { copied: 0, skipped: 2 },
      results: 0,
      promptVersions: 0,
      labelEvents: 0,
      annotations: 0,
    });
    expect(await to.listAnnotations()).toHaveLength(3);
    expect(await to.countResults('run-a')).toBe(7);
    expect((await to.listRuns()).length).toBe(2);
    expect((await to.labelHistory()).length).toBe(2);
  });

  it('completes a run the target holds only in part, and carries a new status', async () => {
    await seed();
    await dbPush({ from, to });
    // the interrupted run is resumed locally: its last two results arrive and it completes
    await from.writeResults(results('run-b', 5).slice(3));
    await from.setRunStatus('run-b', 'completed');
    const r = await dbPush({ from, to });
    expect(r.runs).toEqual({ copied: 1, skipped: 1 });
    expect(await to.countResults('run-b')).toBe(5);
    expect((await to.getRun('run-b'))?.status).toBe('completed');
    expect((await to.getRun('run-b'))?.cost).toBeCloseTo(0.05, 10);
  });

  it('an empty source pushes nothing', async () => {
    expect(await dbPush({ from, to })).toEqual({
      runs: { copied: 0, skipped: 0 },
      results: 0,
      promptVersions: 0,
      labelEvents: 0,
      annotations: 0,
    });
  });
});
