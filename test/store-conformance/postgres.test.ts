import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeMigrations } from '../../src/store/migrations.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { startTestPostgres, type TestPostgres } from './pg-server.ts';
import { sampleManifest, sampleResult } from './sample-records.ts';
import { describeStoreConformance } from './store-conformance.ts';

let server: TestPostgres;
const latest = storeMigrations.at(-1)?.version ?? 0;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

describeStoreConformance('PostgreSQL', async () => {
  const db = await server.freshDatabase();
  const store = await openPostgresStore(db.url);
  return {
    store,
    async cleanup() {
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL store', () => {
  it('migrates a new database once, even when several processes open it at the same time', async () => {
    const db = await server.freshDatabase();
    try {
      const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(db.url)));
      expect(stores.map((s) => s.schemaVersion)).toEqual([latest, latest, latest, latest]);
      await Promise.all(stores.map((s) => s.close()));
      const again = await openPostgresStore(db.url);
      expect(again.schemaVersion).toBe(latest);
      await again.close();
    } finally {
      await db.drop();
    }
  });

  it('refuses a database written by a newer Assay, naming both schema versions (exit 2)', async () => {
    const db = await server.freshDatabase();
    try {
      await (await openPostgresStore(db.url)).close();
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 'x')",
        [latest + 1],
      );
      await client.end();
      await expect(openPostgresStore(db.url)).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining(
          `this store was written by a newer Assay (schema ${latest + 1} > ${latest}); upgrade assay`,
        ),
      });
    } finally {
      await db.drop();
    }
  });

  it('never shows the password when the server refuses the connection', async () => {
    const url = new URL(server.url);
    url.password = 'wrong-secret-password';
    url.pathname = '/no_such_database';
    const error = await openPostgresStore(url.toString()).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode: number },
    );
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('***');
    expect(error?.message).not.toContain('wrong-secret-password');
  });

  it('two stores writing the same runs at once lose and duplicate nothing, and agree on cost', async () => {
    const db = await server.freshDatabase();
    try {
      const a = await openPostgresStore(db.url);
      const b = await openPostgresStore(db.url);
      await a.createRun({ id: 'shared-run', manifest: sampleManifest(), planned: 400 });
      const batch = (start: number) =>
        Array.from({ length: 50 }, (_, i) =>
          sampleResult({ runId: 'shared-run', caseId: `c-${start + i}`, cost: 0.01 }),
        );
      // Both write every result (overlapping keys), as two resuming processes might.
      await Promise.all(
        [0, 50, 100, 150].flatMap((s) => [a.writeResults(batch(s)), b.writeResults(batch(s))]),
      );
      expect(await a.countResults('shared-run')).toBe(200);
      expect((await b.getRun('shared-run'))?.cost).toBeCloseTo(2, 9);
      await a.close();
      await b.close();
    } finally {
      await db.drop();
    }
  });

  it('stores, finds and lists prompt versions and label events', async () => {
    const db = await server.freshDatabase();
    const store = await openPostgresStore(db.url);
    try {
      const v1 = {
        name: 'triage',
        version: 'aaaa1111',
        file: 'prompts/triage.prompt.md',
        source: 'one\u0000',
        createdAt: '2025-01-01T00:00:00.000Z',
      };
      const v2 = {
        ...v1,
        version: 'aaaa2222',
        source: 'two',
        parent: 'aaaa1111',
        message: 'why',
        createdAt: '2025-01-02T00:00:00.000Z',
      };
      await store.putPromptVersion(v1);
      await store.putPromptVersion({ ...v1, source: 'changed' }); // first write wins
      await store.putPromptVersion(v2);
      expect(await store.getPromptVersion('triage', 'aaaa1111')).toStrictEqual(v1);
      expect(await store.getPromptVersion('triage', 'aaaa2')).toStrictEqual(v2);
      await expect(store.getPromptVersion('triage', 'aaaa')).rejects.toMatchObject({ exitCode: 2 });
      expect(await store.getPromptVersion('triage', 'aaa')).toBeUndefined();
      expect((await store.listPromptVersions('triage')).map((v) => v.version)).toEqual([
        'aaaa2222',
        'aaaa1111',
      ]);
      expect(await store.listPromptVersions('other')).toEqual([]);
      const e1 = {
        name: 'triage',
        label: 'production',
        version: 'aaaa1111',
        movedAt: '2025-01-03T00:00:00.000Z',
      };
      const e2 = {
        ...e1,
        version: 'aaaa2222',
        previous: 'aaaa1111',
        author: 'ana',
        movedAt: '2025-01-04T00:00:00.000Z',
      };
      await store.recordLabelEvent(e1);
      await store.recordLabelEvent(e2);
      await store.recordLabelEvent(e2);
      expect(await store.labelHistory('triage', 'production')).toStrictEqual([e2, e1]);
      expect(await store.labelHistory('triage', 'staging')).toEqual([]);
      expect(await store.labelHistory()).toHaveLength(2);
    } finally {
      await store.close();
      await db.drop();
    }
  });
});
