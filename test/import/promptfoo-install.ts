import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../cli/cli-harness.ts';

export const PROMPTFOO_VERSION = '0.123.1';
/** Cached install (git-ignored): reruns skip npm entirely. */
export const promptfooDir = join(repoRoot, '.cache', `promptfoo-${PROMPTFOO_VERSION}`);
export const promptfooEntry = join(promptfooDir, 'node_modules/promptfoo/dist/src/entrypoint.js');

/**
 * promptfoo installed from the npm registry into .cache/ (as ../shared/bench does, into a folder of its
 * own), once per machine. Returns why it is unavailable instead of throwing, so the caller decides:
 * outside CI a failed install skips the tests with that reason; in CI it fails them.
 */
export async function ensurePromptfoo(): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (existsSync(promptfooEntry)) return { ok: true };
  try {
    await promisify(execFile)(
      'npm',
      [
        'install',
        '--prefix',
        promptfooDir,
        `promptfoo@${PROMPTFOO_VERSION}`,
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (err) {
    return {
      ok: false,
      reason: `npm install promptfoo@${PROMPTFOO_VERSION} failed: ${(err as Error).message.split('\n')[0]}`,
    };
  }
  return existsSync(promptfooEntry)
    ? { ok: true }
    : { ok: false, reason: `no ${promptfooEntry} after npm install` };
}
