import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPostgresStore, checkSqliteStore, type DbCheckReport } from '../../src/app/db-check.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { runCli } from '../cli/cli-harness.ts';
import { startTestPostgres, type TestPostgres } from '../store-conformance/pg-server.ts';
import { sampleManifest, sampleResult } from '../store-conformance/sample-records.ts';

/** A healthy store: one completed run of 3 results with cache entries, one running run, one annotation. */
async function fill(store: Store): Promise<void> {
  await store.createRun({ id: 'run-done', manifest: sampleManifest(), planned: 3 });
  await store.writeResults(
    ['c1', 'c2', 'c3'].map((caseId) => sampleResult({ runId: 'run-done', caseId })),
    ['c1', 'c2', 'c3'].map((c) => ({
      key: `key-${c}`,
      value: { text: `answer ${c}`, toolCalls: [], usage: { inputTokens: 1 }, latencyMs: 5 },
    })),
  );
  await store.setRunStatus('run-done', 'completed');
  await store.createRun({ id: 'run-half', manifest: sampleManifest(), planned: 4 });
  await store.writeResults([
    sampleResult({ runId: 'run-half', caseId: 'c1' }),
    sampleResult({
      runId: 'run-half',
      caseId: 'c2',
      status: 'error',
      error: { kind: 'timeout', message: 'timed out' },
      cost: null as unknown as number,
    }),
  ]);
  await store.mirrorAnnotations('triage', [
    {
      key: 'k1',
      caseId: 'c1',
      annotator: 'ana',
      verdict: 'pass',
      at: '2025-01-02T00:00:00.000Z',
      note: 'fine',
    },
  ]);
}

const orphanRow = `INSERT INTO results (run_id, prompt, prompt_version, model_id, case_id, repeat, status, checks, usage,
  attempts, cached, created_at) VALUES ('ghost', 'p', 'v', 'm', 'c', 0, 'pass', '[]', '{}', 1, FALSE, '2025-01-01')`;

/** One deliberate corruption per row: the SQL that breaks the store and the check that must find it. */
const corruptions: {
  name: string;
  sql: string;
  check: DbCheckReport['problems'][number]['check'];
  match: RegExp;
}[] = [
  {
    name: 'a completed run lost a result',
    sql: "DELETE FROM results WHERE run_id = 'run-done' AND case_id = 'c2'",
    check: 'run-counts',
    match: /completed with 2 of 3/,
  },
  {
    name: 'more results than planned',
    sql: "UPDATE runs SET planned = 1 WHERE id = 'run-done'",
    check: 'run-counts',
    match: /3 results stored but only 1 planned/,
  },
  {
    name: 'an unknown run status',
    sql: "UPDATE runs SET status = 'finished' WHERE id = 'run-half'",
    check: 'run-status',
    match: /unknown status 'finished'/,
  },
  {
    name: 'a manifest that is not JSON',
    sql: "UPDATE runs SET manifest = '{not json' WHERE id = 'run-half'",
    check: 'run-manifest',
    match: /run-half/,
  },
  {
    name: 'a result whose checks are not JSON',
    sql: "UPDATE results SET checks = 'oops' WHERE case_id = 'c3'",
    check: 'result-rows',
    match: /case c3 .*checks is not a JSON array/,
  },
  {
    name: 'an error result without its error',
    sql: "UPDATE results SET error = NULL WHERE status = 'error'",
    check: 'result-rows',
    match: /status error without an error/,
  },
  {
    name: 'a result with an unknown status',
    sql: "UPDATE results SET status = 'maybe' WHERE case_id = 'c1' AND run_id = 'run-done'",
    check: 'result-rows',
    match: /unknown status 'maybe'/,
  },
  {
    name: "a run cost that is not its results' sum",
    sql: "UPDATE runs SET cost = cost + 1 WHERE id = 'run-done'",
    check: 'run-cost',
    match: /run-done: cost 1.003 differs/,
  },
  {
    name: 'a cache value that is not a response',
    sql: "UPDATE cache SET value = '[1,2]' WHERE key = 'key-c1'",
    check: 'cache',
    match: /key-c1/,
  },
  {
    name: 'an annotation edited behind the file',
    sql: "UPDATE annotations SET note = 'tampered'",
    check: 'annotations',
    match: /record hash does not match/,
  },
  {
    name: 'an annotation time that is not a time',
    sql: "UPDATE annotations SET at = 'yesterday'",
    check: 'annotations',
    match: /'yesterday' is not a time/,
  },
  {
    name: 'a migration missing',
    sql: 'DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)',
    check: 'schema',
    match: /pending/,
  },
];

function kinds(r: DbCheckReport): string[] {
  return [...new Set(r.problems.map((p) => p.check))];
}

describe('assay db check on SQLite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-dbcheck-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function healthy(name: string): Promise<string> {
    const file = join(dir, `${name}.db`);
    const store = openSqliteStore(file);
    await fill(store);
    await store.close();
    return file;
  }

  it('a healthy store passes every check', async () => {
    const report = await checkSqliteStore(await healthy('healthy'));
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checked).toEqual({ runs: 2, results: 5, cache: 3, annotations: 1 });
    expect(report.schemaVersion).toBe(report.knownVersion);
  });

  it.each(corruptions)('finds $name', async ({ name, sql, check, match }) => {
    const file = await healthy(name.replaceAll(/\W+/g, '-'));
    const db = new DatabaseSync(file);
    db.exec(sql);
    db.close();
    const report = await checkSqliteStore(file);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toContain(check);
    expect(report.problems.find((p) => p.check === check)?.message).toMatch(match);
  });

  it('finds a result whose run is gone (foreign keys off when it was written)', async () => {
    const file = await healthy('orphan');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec(orphanRow);
    db.close();
    const report = await checkSqliteStore(file);
    expect(kinds(report)).toEqual(expect.arrayContaining(['foreign-keys', 'orphans']));
    expect(report.problems.find((p) => p.check === 'orphans')?.message).toMatch(
      /run ghost, which does not exist/,
    );
  });

  it('finds damaged pages: integrity_check fails, reported as problems, not a crash', async () => {
    const file = await healthy('pages');
    // Overwrite the 4th and 5th pages (table b-trees) with garbage, past the header page.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, 4096 * 3);
    closeSync(fd);
    const report = await checkSqliteStore(file);
    expect(report.ok).toBe(false);
    expect(kinds(report)).toContain('integrity');
  });

  it('CLI: exit 0 healthy, 1 with the problems listed, 2 for a file that is not a store', async () => {
    const file = await healthy('cli');
    const ok = await runCli(['db', 'check', '--store', file, '-C', dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/checked {2}2 runs, 5 results, 3 cache entries, 1 annotations/);
    expect(ok.stdout).toMatch(/ok: no problems found/);
    const db = new DatabaseSync(file);
    db.exec("UPDATE runs SET planned = 1 WHERE id = 'run-done'");
    db.close();
    const bad = await runCli(['db', 'check', '--store', file, '-C', dir, '--json']);
    expect(bad.code).toBe(1);
    const j = JSON.parse(bad.stdout) as DbCheckReport;
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual([
      {
        check: 'run-counts',
        runId: 'run-done',
        message: 'run run-done: 3 results stored but only 1 planned',
      },
    ]);
    const text = await runCli(['db', 'check', '--store', file, '-C', dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /1 problem found:\n {2}\[run-counts\] run run-done: 3 results stored but only 1 planned/,
    );
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'hello, not a database\n');
    const wrong = await runCli(['db', 'check', '--store', notDb, '-C', dir]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/is not a SQLite database/);
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
    const missing = await runCli(['db', 'check', '--store', join(dir, 'nope.db'), '-C', dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no run store at/);
  });

  it('checking changes nothing (the file bytes are the same afterwards)', async () => {
    const file = await healthy('readonly');
    const { readFileSync } = await import('node:fs');
    const before = readFileSync(file);
    await checkSqliteStore(file);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('assay db check on PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  async function healthy(): Promise<{
    url: string;
    drop(): Promise<void>;
    exec(sql: string): Promise<void>;
  }> {
    const db = await server.freshDatabase();
    const store = await openPostgresStore(db.url);
    await fill(store);
    await store.close();
    return {
      ...db,
      async exec(sql) {
        const c = new pg.Client({ connectionString: db.url });
        await c.connect();
        try {
          await c.query(sql);
        } finally {
          await c.end();
        }
      },
    };
  }

  it('a healthy store passes every check', async () => {
    const db = await healthy();
    try {
      const report = await checkPostgresStore(db.url);
      expect(report.problems).toEqual([]);
      expect(report.checked).toEqual({ runs: 2, results: 5, cache: 3, annotations: 1 });
      expect(report.store).toMatch(/:\*\*\*@/); // password redacted
      expect(report.store).not.toContain(new URL(db.url).password);
    } finally {
      await db.drop();
    }
  });

  it('the same corruptions are found', async () => {
    for (const { sql, check, match } of corruptions) {
      const db = await healthy();
      try {
        await db.exec(sql);
        const report = await checkPostgresStore(db.url);
        expect(kinds(report), sql).toContain(check);
        expect(report.problems.find((p) => p.check === check)?.message).toMatch(match);
      } finally {
        await db.drop();
      }
    }
  }, 120_000);

  it('finds duplicate result keys and orphans once the constraints are gone', async () => {
    const db = await healthy();
    try {
      await db.exec(
        `ALTER TABLE results DROP CONSTRAINT results_run_id_prompt_version_model_id_case_id_repeat_key;
         ALTER TABLE results DROP CONSTRAINT results_run_id_fkey;
         INSERT INTO results (run_id, prompt, prompt_version, model_id, case_id, repeat, status, checks, usage,
           attempts, cached, created_at)
         SELECT run_id, prompt, prompt_version, model_id, case_id, repeat, status, checks, usage, attempts, cached,
           created_at FROM results WHERE run_id = 'run-half' AND case_id = 'c1';
         ${orphanRow}`,
      );
      const report = await checkPostgresStore(db.url);
      expect(kinds(report)).toEqual(expect.arrayContaining(['result-keys', 'orphans']));
      expect(report.problems.find((p) => p.check === 'result-keys')?.message).toMatch(
        /run run-half: 2 results for prompt version v1abc, model fake:echo, case c1, repeat 0/,
      );
      const cli = await runCli(['db', 'check', '--store', db.url, '--json']);
      expect(cli.code).toBe(1);
      expect(cli.stdout).not.toContain(new URL(db.url).password || '\u0000');
    } finally {
      await db.drop();
    }
  });
});
