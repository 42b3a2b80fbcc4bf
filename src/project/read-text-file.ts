import { readFile } from 'node:fs/promises';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';

/**
 * Reads a UTF-8 file (a leading BOM is dropped); a missing or unreadable file is a ConfigError at `where`
 * (the place that named it), and bytes that are not UTF-8 are a ConfigError at the line they are on.
 */
export async function readTextFile(
  path: string,
  shownAs: string,
  where: ConfigErrorInfo = {},
  what = 'file',
): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
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
  return decodeUtf8(bytes, shownAs, what);
}

/** Strict UTF-8 decoding: invalid bytes are a ConfigError naming the file and line, never U+FFFD. */
export function decodeUtf8(bytes: Uint8Array, shownAs: string, what = 'file'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidByte(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    const problem = at < bytes.length ? 'bytes that are not UTF-8' : 'a character cut short at the end';
    throw new ConfigError(`${what} '${shownAs}' has ${problem}`, {
      file: shownAs,
      line,
      expected: 'UTF-8 text',
      hint: 're-save the file as UTF-8',
    });
  }
}

/**
 * Offset of the first byte that makes `bytes` invalid UTF-8 (`bytes.length` when only the end is cut
 * short). A streaming decode accepts a prefix that ends inside a character, so validity of prefixes is
 * monotonic and a binary search finds the shortest invalid one.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const valid = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  let lo = 0; // valid prefix length
  let hi = bytes.length + 1; // invalid prefix length (or past the end)
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (valid(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
