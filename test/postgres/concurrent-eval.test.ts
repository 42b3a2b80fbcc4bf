import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { resultKey } from '../../src/store/store.ts';
import { cleanEnv, runCli, scratchProject, startCli, waitCli, writeFiles } from '../cli/cli-harness.ts';
import { startTestPostgres, type TestPostgres } from '../store-conformance/pg-server.ts';

let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

const cases = 200;

function project(): ReturnType<typeof scratchProject> {
  const p = scratchProject(false);
  const suite = Array.from(
    { length: cases },
    (_, i) =>
      `  - id: case-${String(i).padStart(3, '0')}\n    vars: { message: "ping ${i}" }\n    checks: [{ contains: "ping" }]`,
  ).join('\n');
  writeFiles(p.dir, {
    'assay.yaml':
      'prompts: [p.prompt.md]\nsuites: [s.yaml]\nmodels: [fake:echo]\ndefaults:\n  concurrency: 16\n',
    'p.prompt.md': '---\nname: p\nvariables:\n  message: { type: string }\n---\n# user\n{{ message }}\n',
    's.yaml': `name: s\ncases:\n${suite}\n`,
  });
  return p;
}

describe('the PostgreSQL team store from the CLI', () => {
  it('two concurrent `assay eval` processes store every result of both runs exactly once', async () => {
    const db = await server.freshDatabase();
    const a = project();
    const b = project();
    try {
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const [ra, rb] = await Promise.all([
        waitCli(startCli(['eval', '-C', a.dir], { env })),
        waitCli(startCli(['eval', '-C', b.dir], { env })),
      ]);
      expect(ra.stderr).not.toMatch(/error/i);
      expect(rb.stderr).not.toMatch(/error/i);
      expect(ra.code).toBe(0);
      expect(rb.code).toBe(0);
      const store = await openPostgresStore(db.url);
      try {
        const runs = await store.listRuns();
        expect(runs).toHaveLength(2);
        for (const run of runs) {
          expect(run.status).toBe('completed');
          const keys: string[] = [];
          for await (const r of store.iterateResults(run.id)) keys.push(resultKey(r));
          expect(keys).toHaveLength(cases);
          expect(new Set(keys).size).toBe(cases);
          expect(await store.countResults(run.id)).toBe(cases);
        }
      } finally {
        await store.close();
      }
      // `runs list` reads the same store through ASSAY_DATABASE_URL.
      const list = await runCli(['runs', 'list', '-C', a.dir, '--json'], { env });
      expect(list.code).toBe(0);
      expect(JSON.parse(list.stdout).runs).toHaveLength(2);
    } finally {
      a.cleanup();
      b.cleanup();
      await db.drop();
    }
  }, 120_000);

  it('db status and db migrate report and apply the schema, never printing the password', async () => {
    const db = await server.freshDatabase();
    const p = project();
    try {
      const password = new URL(db.url).password;
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const before = await runCli(['db', 'status', '-C', p.dir, '--json'], { env });
      expect(before.code).toBe(0);
      expect(JSON.parse(before.stdout)).toMatchObject({
        backend: 'postgres',
        schemaVersion: 0,
        pending: [1, 2, 3, 4, 5, 6],
        runs: 0,
      });
      const migrate = await runCli(['db', 'migrate', '-C', p.dir], { env });
      expect(migrate.code).toBe(0);
      expect(migrate.stdout).toMatch(/applied migrations 1, 2, 3, 4, 5, 6; schema 6/);
      const again = await runCli(['db', 'migrate', '-C', p.dir], { env });
      expect(again.stdout).toMatch(/schema 6 is current; nothing to apply/);
      const status = await runCli(['db', 'status', '-C', p.dir], { env });
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/backend\s+PostgreSQL/);
      expect(status.stdout).toMatch(/schema\s+6 \(current\)/);
      expect(status.stdout).toMatch(/runs\s+0/);
      expect(status.stdout).toContain(':***@');
      for (const r of [before, migrate, again, status]) expect(r.stdout + r.stderr).not.toContain(password);
      const wrong = new URL(db.url);
      wrong.password = 'not-the-password-123';
      const refused = await runCli(['db', 'status', '-C', p.dir], {
        env: cleanEnv({ ASSAY_DATABASE_URL: wrong.toString() }),
      });
      expect(refused.code).toBe(2);
      expect(refused.stderr).not.toContain('not-the-password-123');
    } finally {
      p.cleanup();
      await db.drop();
    }
  }, 60_000);
});
