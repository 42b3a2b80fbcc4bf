import { execFile } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import {
  basename,
  dirname,
  isAbsolute,
  join,
  matchesGlob,
  normalize,
  relative,
  resolve,
  sep,
} from 'node:path';
import { AssayError } from '../core/errors.ts';
import { findConfigFile } from '../project/find-config-file.ts';
import { loadConfigFile } from '../project/load-config-file.ts';
import { loadProject } from '../project/load-project.ts';
import { projectPath } from '../project/project-path.ts';

export interface GitBaseline {
  /** The temporary project folder: the working tree's project with the prompts of `ref`. */
  dir: string;
  /** The config file inside `dir` (absolute). */
  config: string;
  /** The ref as given and the commit it resolved to. */
  ref: string;
  commit: string;
  /** Prompt files (project-relative) taken from the commit. */
  prompts: string[];
  /** Removes `dir`. */
  cleanup: () => Promise<void>;
}

/**
 * Materialises the project "as it would be with the prompts of git REF": a temporary copy of the
 * project folder (config, suites, checks, scripts: everything but `.assay`, `.git` and `node_modules`)
 * whose prompt files — the files at REF that the current config's `prompts:` patterns match — are read
 * with `git show REF:path`. Evaluating that folder runs the old prompts on the current suite with the
 * current models, which is what a regression gate compares. Git runs through execFile, never a shell.
 */
export async function baselineFromGit(opts: {
  cwd: string;
  config?: string;
  ref: string;
}): Promise<GitBaseline> {
  const configAbs = await findConfigFile(opts.cwd, opts.config);
  const root = dirname(configAbs);
  const project = await loadProject({ cwd: opts.cwd, configPath: opts.config });
  const { config } = await loadConfigFile(configAbs, projectPath(root, configAbs));
  const patterns = config.prompts;
  const ref = opts.ref;
  if (ref === '' || ref.startsWith('-'))
    throw new AssayError(`'git:${ref}' is not a git ref; give e.g. --baseline git:origin/main`, 2);
  await git(root, ['rev-parse', '--is-inside-work-tree']).catch(() => {
    throw new AssayError(`--baseline git:${ref}: ${root} is not inside a git repository`, 2);
  });
  const commit = (
    await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
      throw new AssayError(
        `--baseline git:${ref}: no such commit in this repository; in CI fetch the history (actions/checkout with fetch-depth: 0) or give another ref`,
        2,
      );
    })
  ).trim();
  // Paths at the commit, relative to the project folder (ls-tree is relative to its cwd).
  const listing = await git(root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', '.']);
  const atRef = listing.split('\0').filter((p) => p !== '');
  const isPrompt = (p: string) =>
    !p.split('/').includes('node_modules') &&
    patterns.some((pattern) => {
      const pat = pattern.replace(/^\.\//, '');
      return /[*?[\]{}]/.test(pat) ? matchesGlob(p, pat) : normalize(p) === normalize(pat);
    });
  const prompts = atRef.filter(isPrompt).sort();

  const files: { path: string; text: string }[] = [];
  for (const p of prompts) files.push({ path: p, text: await git(root, ['show', `${commit}:./${p}`]) });
  const copy = await projectCopy({ root, configAbs, remove: project.prompts.map((p) => p.file), files });
  return { ...copy, ref, commit, prompts };
}

/**
 * A temporary copy of the project folder `root` (everything but `.assay`, `.git` and `node_modules`)
 * with the files `remove` (project-relative) deleted and `files` written in their place. Every path is
 * checked to resolve inside the copy. Used for a baseline at a git ref and at a labelled version.
 */
export async function projectCopy(opts: {
  root: string;
  /** The config file (absolute), found again inside the copy. */
  configAbs: string;
  remove: string[];
  files: { path: string; text: string }[];
}): Promise<{ dir: string; config: string; cleanup: () => Promise<void> }> {
  const { root, configAbs } = opts;
  // realpath: the temp folder itself may sit behind a symlink (macOS /var → /private/var).
  const dir = await realpath(await mkdtemp(join(tmpdir(), 'assay-baseline-')));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    // Symlinks are copied as what they point to (dereference), never as links: the rm and writeFile
    // below must act on the copy, not on the user's files behind a link. A dangling link is left out.
    await cp(root, dir, {
      recursive: true,
      dereference: true,
      filter: async (src) => {
        const rel = relative(root, src);
        if (rel === '') return true;
        const parts = rel.split(sep);
        if (parts.includes('.git') || parts.includes('node_modules') || parts[0] === '.assay') return false;
        if ((await lstat(src)).isSymbolicLink())
          return stat(src).then(
            () => true,
            () => false,
          );
        return true;
      },
    });
    // The working tree's files go; the given ones come in.
    for (const p of opts.remove) {
      const target = resolve(dir, p);
      await assertInside(dir, target);
      await rm(target, { force: true });
    }
    for (const f of opts.files) {
      const target = resolve(dir, f.path);
      await assertInside(dir, dirname(target));
      await mkdir(dirname(target), { recursive: true });
      await assertInside(dir, target);
      await writeFile(target, f.text);
    }
    return { dir, config: join(dir, basename(configAbs)), cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

/**
 * Throws unless `target` — after resolving every symlink of its longest existing prefix — lies inside
 * `dir` (a real path). Guards every rm and write in the temporary copy.
 */
async function assertInside(dir: string, target: string): Promise<void> {
  let existing = target;
  let rest = '';
  let dangling = false;
  for (;;) {
    try {
      existing = await realpath(existing);
      break;
    } catch {
      // A dangling symlink does not resolve, but a write would follow it: refuse it.
      dangling = await lstat(existing).then(
        (st) => st.isSymbolicLink(),
        () => false,
      );
      const up = dirname(existing);
      if (dangling || up === existing) break;
      rest = join(basename(existing), rest);
      existing = up;
    }
  }
  const rel = relative(dir, join(existing, rest));
  if (dangling || rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
    throw new AssayError(
      `--baseline git: refusing to touch ${target}: it resolves outside the temporary baseline folder ${dir}`,
      2,
    );
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) rej(new Error(`git ${args[0]}: ${stderr.trim() || err.message}`));
      else res(stdout);
    });
  });
}
