import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';

/** Reads a UTF-8 file; a missing or unreadable file is a ConfigError at `where` (the place that named it). */
export async function readTextFile(
  path: string,
  shownAs: string,
  where: ConfigErrorInfo = {},
  what = 'file',
): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? `${what} '${shownAs}' not found`
        : code === 'EISDIR'
          ? `${what} '${shownAs}' is a directory`
          : `cannot read ${what} '${shownAs}': ${(e as Error).message}`;
    throw new ConfigError(problem, { ...where, expected: where.expected ?? `an existing ${what}` });
  }
}
