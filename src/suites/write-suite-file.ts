import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { AssayError } from '../core/errors.ts';

/**
 * Replaces a suite file atomically: the new text goes to a temp file beside it (same permissions), which
 * is renamed over the original, so an interrupted write never leaves half a suite.
 */
export function writeSuiteFile(abs: string, shown: string, text: string): void {
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    const mode = statSync(abs, { throwIfNoEntry: false })?.mode;
    writeFileSync(tmp, text, mode !== undefined ? { mode: mode & 0o777 } : {});
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    throw new AssayError(`cannot write ${shown}: ${code ?? (e as Error).message}`, 2);
  }
}
