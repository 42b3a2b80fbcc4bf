import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationKey } from '../../src/annotations/annotation-key.ts';
import { latestAnnotations } from '../../src/annotations/latest-annotations.ts';
import { readAnnotations } from '../../src/annotations/read-annotations.ts';
import { assayBin, cleanEnv, runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';
import { startPty } from './pty-session.ts';

const CASES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'];
let project: { dir: string; cleanup: () => void };
let runId: string;

beforeAll(async () => {
  project = scratchProject(false);
  writeFiles(project.dir, {
    'assay.yaml':
      'name: annot\nprompts: [prompts/*.prompt.md]\nsuites: [{ file: suites/s.yaml }]\nmodels: [fake:echo]\n',
    'prompts/echo.prompt.md':
      '---\nname: echo\nvariables:\n  message:\n    type: string\n---\n# system\nRepeat the message.\n\n# user\n{{ message }}\n',
    'suites/s.yaml': `name: s\ncases:\n${CASES.map(
      (id, i) =>
        `  - id: ${id}\n    vars:\n      message: "hello number ${i + 1}${i === 2 ? '\\u001b[31m red' : ''}"\n    checks:\n      - icontains: "number"\n`,
    ).join('')}`,
  });
  const r = await runCli(['eval', '-C', project.dir, '--json']);
  expect(r.code, r.stderr).toBe(0);
  runId = (JSON.parse(r.stdout) as { reports: { run: { id: string } }[] }).reports[0]?.run.id as string;
  expect(runId).toBeTruthy();
}, 60_000);
afterAll(() => project?.cleanup());

function annotate(): ReturnType<typeof startPty> {
  return startPty([process.execPath, assayBin, 'annotate', runId, '--annotator', 'ana'], {
    cwd: project.dir,
    env: cleanEnv(),
  });
}

describe('assay annotate (driven through a pseudo-terminal)', () => {
  it('annotates five outputs, quits, resumes where it stopped and finishes; every judgment is in the JSONL file', async () => {
    const s1 = annotate();
    try {
      await s1.waitFor('1/7');
      expect(s1.screen()).toContain('case c1');
      expect(s1.screen()).toContain('hello number 1'); // the input (last user turn) and the echoed output
      expect(s1.screen()).toContain('✓ icontains');
      s1.send('p');
      await s1.waitFor('2/7');
      s1.send('f');
      await s1.waitFor('3/7');
      // The output's escape sequence is stripped: no raw ESC from the model reaches the terminal.
      expect(s1.screen()).toContain('hello number 3[31m red');
      expect(s1.screen()).not.toContain('\x1b[31m');
      s1.send('n');
      await s1.waitFor('note (Enter keeps, Esc drops):');
      s1.send('too polite\r');
      await s1.waitFor('note: too polite');
      s1.send('p');
      await s1.waitFor('4/7');
      s1.send('p');
      await s1.waitFor('5/7');
      s1.send('u'); // undo c4's pass: it is shown again
      await s1.waitFor('undone: judgment withdrawn');
      expect(s1.screen().slice(-2000)).toContain('4/7');
      s1.send('f');
      await s1.waitFor('5/7');
      s1.send('x');
      await s1.waitFor('unknown key');
      s1.send('p');
      await s1.waitFor('6/7');
      s1.send('q');
      await s1.waitFor('5/7 outputs of run');
      expect(await s1.exited).toBe(0);
      expect(s1.screen()).toContain('2 left');
    } finally {
      s1.child.kill();
    }

    const file = join(project.dir, 'annotations/s.jsonl');
    const afterFirst = latestAnnotations(readAnnotations(file));
    expect(afterFirst.map((a) => [a.caseId, a.verdict])).toEqual([
      ['c1', 'pass'],
      ['c2', 'fail'],
      ['c3', 'pass'],
      ['c4', 'fail'],
      ['c5', 'pass'],
    ]);

    const s2 = annotate();
    try {
      await s2.waitFor('6/7'); // resumed: the five judged outputs are not asked again
      expect(s2.screen()).toContain('case c6');
      expect(s2.screen()).toContain('5 judged');
      s2.send('f');
      await s2.waitFor('7/7');
      s2.send('p');
      await s2.waitFor('7/7 outputs of run');
      expect(await s2.exited).toBe(0);
    } finally {
      s2.child.kill();
    }

    const lines = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    // 7 judgments + c4's first pass + its withdrawal: append-only.
    expect(lines).toHaveLength(9);
    expect(lines.filter((l) => l.retracted)).toMatchObject([{ caseId: 'c4', annotator: 'ana' }]);
    const latest = latestAnnotations(readAnnotations(file));
    expect(latest.map((a) => [a.caseId, a.verdict])).toEqual([
      ['c1', 'pass'],
      ['c2', 'fail'],
      ['c3', 'pass'],
      ['c4', 'fail'],
      ['c5', 'pass'],
      ['c6', 'fail'],
      ['c7', 'pass'],
    ]);
    for (const a of latest) {
      expect(a.runId).toBe(runId);
      expect(a.annotator).toBe('ana');
    }
    const c1 = latest[0];
    expect(c1?.key).toBe(annotationKey('hello number 1', 'c1', c1?.promptVersion as string));
    expect(latest.find((a) => a.caseId === 'c3')?.note).toBe('too polite');
  }, 90_000);

  it('without a terminal it refuses with a pointer to --import (exit 2)', async () => {
    const r = await runCli(['annotate', runId, '-C', project.dir, '--annotator', 'ana']);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toContain('--import');
  });

  it('--import FILE.csv --annotator NAME appends to the suite file of the run', async () => {
    writeFiles(project.dir, {
      'bob.csv': `caseId,promptVersion,output,verdict,note\nc1,${readAnnotations(join(project.dir, 'annotations/s.jsonl'))[0]?.promptVersion},hello number 1,fail,"terse, but fine"\n`,
    });
    const r = await runCli([
      'annotate',
      runId,
      '-C',
      project.dir,
      '--import',
      'bob.csv',
      '--annotator',
      'bob',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported 1 annotations');
    const latest = latestAnnotations(readAnnotations(join(project.dir, 'annotations/s.jsonl')));
    const bob = latest.filter((a) => a.annotator === 'bob');
    expect(bob).toMatchObject([{ caseId: 'c1', verdict: 'fail', note: 'terse, but fine' }]);
    expect(bob[0]?.key).toBe(latest[0]?.key); // the same output as ana's c1
  });
});
