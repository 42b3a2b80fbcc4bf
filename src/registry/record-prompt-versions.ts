import { execFile } from 'node:child_process';
import type { PromptSpec } from '../core/types.ts';
import type { Store } from '../store/store.ts';

/** Who is recording: `git config user.name`, else $USER / $USERNAME; undefined when none is known. */
export function currentAuthor(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['config', 'user.name'], { cwd, timeout: 5000, windowsHide: true }, (error, stdout) => {
      const name = error ? '' : stdout.trim();
      resolve(name || process.env.USER || process.env.USERNAME || undefined);
    });
  });
}

export interface RecordVersionsOptions {
  /** Project root, for `git config user.name`. */
  root: string;
  gitCommit?: string;
  message?: string;
  /** Injected in tests; default: now. */
  now?: Date;
}

/**
 * Records each prompt version an eval runs (first write wins), with the file's full text. The parent is
 * the newest version of the same prompt recorded before. Prompts without their text (built in code) are
 * skipped.
 */
export async function recordPromptVersions(
  store: Store,
  prompts: PromptSpec[],
  options: RecordVersionsOptions,
): Promise<void> {
  const author = await currentAuthor(options.root);
  const createdAt = (options.now ?? new Date()).toISOString();
  for (const p of prompts) {
    if (p.raw === undefined) continue;
    if (await store.getPromptVersion(p.name, p.version).then((v) => v?.version === p.version)) continue;
    const parent = (await store.listPromptVersions(p.name))[0]?.version;
    await store.putPromptVersion({
      name: p.name,
      version: p.version,
      file: p.file,
      source: p.raw,
      ...(parent !== undefined ? { parent } : {}),
      ...(author !== undefined ? { author } : {}),
      ...(options.gitCommit !== undefined ? { gitCommit: options.gitCommit } : {}),
      ...(options.message !== undefined ? { message: options.message } : {}),
      createdAt,
    });
  }
}
