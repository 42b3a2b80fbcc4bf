import { execFile } from 'node:child_process';
import { parsePrompt } from '../core/prompt/parse-prompt.ts';

function git(args: string[], cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, timeout: 10_000, windowsHide: true, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
}

/** How many commits touching the file are searched, newest first. */
const maxCommits = 200;

/**
 * The text of `file` (project-relative, under `root`) at the newest commit where its prompt version starts
 * with `version`, searching the file's git history (renames followed); undefined without git or a match.
 */
export async function gitPromptSource(
  root: string,
  file: string,
  version: string,
): Promise<{ source: string; commit: string } | undefined> {
  const log = await git(
    ['log', `-n${maxCommits}`, '--follow', '--format=%H', '--name-only', '--', file],
    root,
  );
  if (!log) return undefined;
  const top = (await git(['rev-parse', '--show-toplevel'], root))?.trim();
  if (!top) return undefined;
  // Blocks of "hash\n\npath": the path is relative to the top level (it may have been renamed).
  const entries = log
    .trim()
    .split(/\n(?=[0-9a-f]{40}\n)/)
    .map((block) => block.split('\n').filter(Boolean))
    .filter((lines) => lines.length >= 2);
  for (const [commit, path] of entries as [string, string][]) {
    const source = await git(['show', `${commit}:${path}`], top);
    if (source === undefined) continue;
    try {
      if (parsePrompt(source, file).version.startsWith(version)) return { source, commit };
    } catch {
      // that commit's file did not parse: keep looking
    }
  }
  return undefined;
}
