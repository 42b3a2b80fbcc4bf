import { isAbsolute, relative, resolve, sep } from 'node:path';

/** `root`-relative path with forward slashes (how files are named in messages and stored records). */
export function projectPath(root: string, file: string): string {
  const abs = isAbsolute(file) ? file : resolve(root, file);
  const rel = relative(root, abs);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  return shown.split(sep).join('/');
}
