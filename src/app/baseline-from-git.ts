import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, matchesGlob, normalize, relative, resolve, sep } from 'node:path';
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

  const dir = await mkdtemp(join(tmpdir(), 'assay-baseline-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await cp(root, dir, {
      recursive: true,
      filter: (src) => {
        const rel = relative(root, src);
        if (rel === '') return true;
        const parts = rel.split(sep);
        return !parts.includes('.git') && !parts.includes('node_modules') && parts[0] !== '.assay';
      },
    });
    // The working tree's prompts go; the commit's come in.
    for (const p of project.prompts) await rm(join(dir, p.file), { force: true });
    for (const p of prompts) {
      const text = await git(root, ['show', `${commit}:./${p}`]);
      const target = resolve(dir, p);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, text);
    }
    return { dir, config: join(dir, basename(configAbs)), ref, commit, prompts, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    execFile('git', args, { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) rej(new Error(`git ${args[0]}: ${stderr.trim() || err.message}`));
      else res(stdout);
    });
  });
}
