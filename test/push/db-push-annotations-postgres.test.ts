import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnnotations } from '../../src/annotations/read-annotations.ts';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { StoredAnnotation } from '../../src/store/store.ts';
import { cleanEnv, runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';
import { startTestPostgres, type TestPostgres } from '../store-conformance/pg-server.ts';

let server: TestPostgres;
let project: { dir: string; cleanup: () => void };
let runId: string;
const env = cleanEnv();

beforeAll(async () => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml': 'prompts: [p.prompt.md]\nsuites: [s.yaml]\nmodels: [fake:echo]\n',
    'p.prompt.md': '---\nname: p\nvariables:\n  message: { type: string }\n---\n# user\n{{ message }}\n',
    's.yaml':
      'name: support\ncases:\n  - id: c1\n    vars: { message: "one" }\n  - id: c2\n    vars: { message: "two" }\n',
  });
  const [pgServer, evaluated] = await Promise.all([
    startTestPostgres(),
    runCli(['eval', '-C', project.dir, '--json'], { env }),
  ]);
  server = pgServer;
  expect(evaluated.code, evaluated.stderr).toBe(0);
  runId = (JSON.parse(evaluated.stdout) as { reports: { run: { id: string } }[] }).reports[0]?.run
    .id as string;
}, 120_000);

afterAll(async () => {
  project?.cleanup();
  await server?.stop();
}, 60_000);

async function inPostgres(url: string): Promise<StoredAnnotation[]> {
  const store = await openPostgresStore(url);
  try {
    return await store.listAnnotations();
  } finally {
    await store.close();
  }
}

describe('annotations in the PostgreSQL team store', () => {
  it('`assay db push` carries the mirrored annotations of every suite, once', async () => {
    const db = await server.freshDatabase();
    try {
      const key = (n: number) => String(n).repeat(64);
      writeFiles(project.dir, {
        'suite.jsonl': [
          { key: key(1), caseId: 'c1', annotator: 'ana', verdict: 'pass', at: '2026-01-01T00:00:00Z' },
          { key: key(1), caseId: 'c1', annotator: 'ana', retracted: true, at: '2026-01-01T00:01:00Z' },
          {
            key: key(2),
            caseId: 'c2',
            annotator: 'ana',
            score: 2.5,
            note: 'NUL\u0000 and 日本語 🤖',
            at: '2026-01-01T00:02:00Z',
          },
        ]
          .map((a) => JSON.stringify(a))
          .join('\n'),
        'other.jsonl': `${JSON.stringify({ key: key(3), caseId: 'c1', annotator: 'bo', verdict: 'fail', at: '2025-12-31T00:00:00Z' })}\n`,
      });
      for (const [source, extra] of [
        ['suite.jsonl', [runId]],
        ['other.jsonl', ['--file', 'annotations/elsewhere.jsonl']],
      ] as const) {
        const r = await runCli(['annotate', ...extra, '-C', project.dir, '--import', source], { env });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stderr).toBe('');
      }
      const local = openSqliteStore(join(project.dir, '.assay/assay.db'));
      const mirrored = await local.listAnnotations();
      await local.close();
      expect(mirrored.map((a) => a.suite)).toEqual(['elsewhere', 'support', 'support', 'support']);

      const first = await runCli(['db', 'push', '-C', project.dir, '--to', db.url, '--json'], { env });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ runs: { copied: 1 }, annotations: 4 });
      expect(await inPostgres(db.url)).toStrictEqual(mirrored);

      const again = await runCli(['db', 'push', '-C', project.dir, '--to', db.url], { env });
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toMatch(/\n {2}annotations: 0\n/);
      expect(again.stdout).not.toContain(new URL(db.url).password);
      expect(await inPostgres(db.url)).toHaveLength(4);
    } finally {
      await db.drop();
    }
  }, 60_000);

  it('with ASSAY_DATABASE_URL, an import is mirrored straight into PostgreSQL', async () => {
    const db = await server.freshDatabase();
    try {
      writeFiles(project.dir, {
        'team.csv': `key,caseId,verdict,annotator,at\n${'a'.repeat(64)},c2,yes,eve,2026-02-01T00:00:00Z\n`,
      });
      const r = await runCli(
        ['annotate', '-C', project.dir, '--import', 'team.csv', '--file', 'annotations/team.jsonl'],
        { env: cleanEnv({ ASSAY_DATABASE_URL: db.url }) },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('(1 new in the run store)');
      const file = readAnnotations(join(project.dir, 'annotations/team.jsonl'));
      expect(await inPostgres(db.url)).toStrictEqual(file.map((a) => ({ ...a, suite: 'team' })));
    } finally {
      await db.drop();
    }
  }, 60_000);
});
