import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baselineFromGit } from '../../src/app/baseline-from-git.ts';
import { gateProject, setVersion } from './gate-fixture.ts';

/**
 * A project whose prompts folder is a symlink to a folder outside it (as with a shared prompt library).
 * The baseline's temporary copy must not follow that link: removing the working tree's prompts and
 * writing the commit's must leave the user's real files untouched.
 */
let project: ReturnType<typeof gateProject>;
let real: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: project.dir, encoding: 'utf8' });

beforeAll(() => {
  project = gateProject(); // prompts/qa.prompt.md with BASE
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  writeFileSync(join(project.dir, '.gitignore'), '.assay/\nshared/\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'prompts as files');
  // The working tree now keeps its prompts in shared/ (outside git), reached through a symlink.
  setVersion(project.dir, 'WORKING');
  real = join(project.dir, 'shared');
  mkdirSync(real);
  renameSync(join(project.dir, 'prompts/qa.prompt.md'), join(real, 'qa.prompt.md'));
  execFileSync('rm', ['-r', join(project.dir, 'prompts')]);
  symlinkSync(real, join(project.dir, 'prompts'), 'dir');
});
afterAll(() => project?.cleanup());

describe('baselineFromGit with a symlinked prompts folder', () => {
  it('writes the commit prompts into the copy, never through the link: the real files are untouched', async () => {
    const before = readFileSync(join(real, 'qa.prompt.md'), 'utf8');
    expect(before).toContain('WORKING {{ q }}');
    const b = await baselineFromGit({ cwd: project.dir, ref: 'HEAD' });
    try {
      // The user's file: still there, still the working version.
      expect(readFileSync(join(real, 'qa.prompt.md'), 'utf8')).toBe(before);
      expect(b.prompts).toEqual(['prompts/qa.prompt.md']);
      const copy = join(b.dir, 'prompts');
      expect(lstatSync(copy).isSymbolicLink()).toBe(false);
      expect(readFileSync(join(copy, 'qa.prompt.md'), 'utf8')).toContain('BASE {{ q }}');
    } finally {
      await b.cleanup();
    }
    expect(existsSync(b.dir)).toBe(false);
    expect(readFileSync(join(real, 'qa.prompt.md'), 'utf8')).toBe(before);
  });
});
