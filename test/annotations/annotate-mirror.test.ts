import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAnnotations } from '../../src/annotations/read-annotations.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { StoredAnnotation } from '../../src/store/store.ts';
import { assayBin, cleanEnv, runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';
import { startPty } from './pty-session.ts';

let project: { dir: string; cleanup: () => void };
let runId: string;
let promptVersion: string;
const env = cleanEnv();

beforeAll(async () => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml':
      'name: mirror\nprompts: [prompts/*.prompt.md]\nsuites: [{ file: suites/s.yaml }]\nmodels: [fake:echo]\n',
    'prompts/echo.prompt.md':
      '---\nname: echo\nvariables:\n  message:\n    type: string\n---\n# user\n{{ message }}\n',
    'suites/s.yaml': `name: support\ncases:\n${['c1', 'c2', 'c3']
      .map(
        (id) =>
          `  - id: ${id}\n    vars:\n      message: "hello ${id}"\n    checks:\n      - icontains: "hello"\n`,
      )
      .join('')}`,
  });
  const r = await runCli(['eval', '-C', project.dir, '--json'], { env });
  expect(r.code, r.stderr).toBe(0);
  runId = (JSON.parse(r.stdout) as { reports: { run: { id: string } }[] }).reports[0]?.run.id as string;
  const store = openSqliteStore(join(project.dir, '.assay/assay.db'));
  for await (const result of store.iterateResults(runId)) promptVersion = result.promptVersion;
  await store.close();
}, 60_000);
afterAll(() => project?.cleanup());

async function stored(suite?: string): Promise<StoredAnnotation[]> {
  const store = openSqliteStore(join(project.dir, '.assay/assay.db'));
  try {
    return await store.listAnnotations(suite === undefined ? {} : { suite });
  } finally {
    await store.close();
  }
}

/** The file's lines as the store should hold them. */
function fileAsStored(file: string, suite: string): StoredAnnotation[] {
  return readAnnotations(join(project.dir, file)).map((a) => ({ ...a, suite }));
}

describe('annotations mirrored in the run store', () => {
  it('a terminal session mirrors every line of the suite file, retractions included', async () => {
    const pty = startPty([process.execPath, assayBin, 'annotate', runId, '--annotator', 'ana'], {
      cwd: project.dir,
      env,
    });
    try {
      await pty.waitFor('1/3');
      pty.send('p');
      await pty.waitFor('2/3');
      pty.send('u'); // withdraws c1's pass: a `retracted` line
      await pty.waitFor('undone');
      pty.send('f');
      await pty.waitFor('2/3');
      pty.send('p');
      await pty.waitFor('3/3');
      pty.send('q');
      await pty.waitFor('outputs of run');
      expect(await pty.exited).toBe(0);
    } finally {
      pty.child.kill();
    }
    expect(pty.screen()).not.toContain('warning');
    const lines = fileAsStored('annotations/support.jsonl', 'support');
    expect(lines.map((a) => [a.caseId, a.verdict ?? (a.retracted ? 'retracted' : '?')])).toEqual([
      ['c1', 'pass'],
      ['c1', 'retracted'],
      ['c1', 'fail'],
      ['c2', 'pass'],
    ]);
    expect(await stored('support')).toStrictEqual(lines);
  }, 60_000);

  it('--import mirrors into the run’s suite; importing the same lines again stores nothing twice', async () => {
    writeFiles(project.dir, {
      'bob.csv': `caseId,promptVersion,output,verdict,note,at\nc3,${promptVersion},hello c3,fail,"naïve — 🤖, ""quoted""",2026-01-02T03:04:05.000Z\n`,
    });
    const args = ['annotate', runId, '-C', project.dir, '--import', 'bob.csv', '--annotator', 'bob'];
    const first = await runCli([...args, '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toEqual({
      imported: 1,
      file: expect.stringContaining('support.jsonl'),
      mirrored: 1,
    });
    const bob = (await stored('support')).filter((a) => a.annotator === 'bob');
    expect(bob).toMatchObject([
      { suite: 'support', caseId: 'c3', verdict: 'fail', note: 'naïve — 🤖, "quoted"' },
    ]);
    expect(bob[0]).not.toHaveProperty('runId');
    // The same line appended again (explicit `at`): the file has it twice, the store once.
    const second = await runCli(args, { env });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('imported 1 annotations into');
    expect(second.stdout).toContain('(0 new in the run store)');
    expect(readAnnotations(join(project.dir, 'annotations/support.jsonl'))).toHaveLength(6);
    expect(await stored('support')).toHaveLength(5);
  });

  it('when the store cannot be opened the import is still saved, with a warning; a later import catches up', async () => {
    writeFiles(project.dir, {
      'broken.db': 'this is not a SQLite database, not at all',
      'carol.jsonl': `${JSON.stringify({ caseId: 'c1', promptVersion, output: 'hello c1', score: 4, annotator: 'carol' })}\n`,
    });
    const failed = await runCli(
      ['annotate', '-C', project.dir, '--import', 'carol.jsonl', '--store', 'broken.db', '--json'],
      { env },
    );
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stderr).toMatch(
      /^warning: the annotations are saved in \S*annotations\/imported\.jsonl but were not mirrored to the run store: .*broken\.db/,
    );
    expect(failed.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(JSON.parse(failed.stdout)).toMatchObject({ imported: 1, mirrored: null });
    expect(readFileSync(join(project.dir, 'annotations/imported.jsonl'), 'utf8')).toContain('"carol"');
    expect(await stored('imported')).toEqual([]);

    writeFileSync(
      join(project.dir, 'dave.csv'),
      `caseId,promptVersion,output,verdict,annotator\nc2,${promptVersion},hello c2,pass,dave\n`,
    );
    const ok = await runCli(['annotate', '-C', project.dir, '--import', 'dave.csv', '--json'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toMatchObject({ imported: 1, mirrored: 2 });
    const imported = await stored('imported');
    expect(imported).toStrictEqual(fileAsStored('annotations/imported.jsonl', 'imported'));
    expect(imported.map((a) => [a.annotator, a.score ?? a.verdict])).toEqual([
      ['carol', 4],
      ['dave', 'pass'],
    ]);
  });
});
