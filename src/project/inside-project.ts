import { existsSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';

/**
 * The one guard for file references in project files (prompts, suites, judges, schemas, few-shot pools,
 * fake-model scripts): a reference may not leave the project folder — neither by `../`, an absolute path,
 * nor a symbolic link — so a shared or downloaded project cannot make Assay read `~/.ssh/id_rsa` into a
 * prompt and send it to a model. Folders listed in `ASSAY_ALLOW_PATHS` (separated like PATH) are
 * allowed as well, for suites shared between repositories.
 */

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Extra folders references may point into (absolute; relative entries are ignored). */
export function allowedFolders(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ASSAY_ALLOW_PATHS ?? '')
    .split(delimiter)
    .map((p) => p.trim())
    .filter((p) => p !== '' && isAbsolute(p))
    .map((p) => resolve(p));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Throws a ConfigError (exit 2) when `abs` is outside `root` and every allowed folder, lexically or once
 * links are followed. `what` names the kind of file (`suite file`), `ref` is the reference as written.
 */
export function assertInsideProject(
  root: string,
  abs: string,
  what: string,
  ref: string,
  where: ConfigErrorInfo = {},
  env: NodeJS.ProcessEnv = process.env,
): void {
  const folders = [resolve(root), ...allowedFolders(env)];
  const fail = (how: string): never => {
    throw new ConfigError(`${what} '${ref}' is outside the project${how}`, {
      ...where,
      expected: 'a path inside the project folder',
      hint: `copy the file into the project, or allow its folder: ASSAY_ALLOW_PATHS=${real(resolve(abs, '..'))}`,
    });
  };
  if (!folders.some((f) => isInside(f, abs))) fail(` (${abs})`);
  if (existsSync(abs)) {
    const target = real(abs);
    if (!folders.some((f) => isInside(real(f), target))) fail(` once its link is followed (${target})`);
  }
}
