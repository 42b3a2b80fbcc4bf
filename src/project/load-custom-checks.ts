import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCustomRef } from '../core/checks/parse-custom-ref.ts';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';
import type { CheckOutcome, CompiledCheck } from '../core/types.ts';
import { projectPath } from './project-path.ts';

const RETURNS = 'a boolean, a score from 0 to 1, or { pass?, score?, reason?, details? }';

/** Turns what a user's check function returned into a CheckOutcome; anything else is an error at run time. */
function toOutcome(ref: string, value: unknown): CheckOutcome {
  if (typeof value === 'boolean') return { pass: value, reason: value ? 'passed' : 'failed' };
  if (typeof value === 'number') {
    if (!(value >= 0 && value <= 1))
      throw new Error(`custom check ${ref} returned ${value}; expected ${RETURNS}`);
    return { score: value, reason: `score ${value.toFixed(3)}` };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const outcome: CheckOutcome = { reason: typeof o.reason === 'string' ? o.reason : '' };
    // A wrong type is a bug in the check, never a verdict: `pass: "false"` must not count as a pass.
    if (o.pass !== undefined) {
      if (typeof o.pass !== 'boolean')
        throw new Error(`custom check ${ref} returned pass: ${describe(o.pass)}; expected true or false`);
      outcome.pass = o.pass;
    }
    if (o.score !== undefined) {
      if (!(typeof o.score === 'number' && o.score >= 0 && o.score <= 1))
        throw new Error(
          `custom check ${ref} returned score: ${describe(o.score)}; expected a number from 0 to 1`,
        );
      outcome.score = o.score;
    }
    if (o.details !== undefined) {
      if (typeof o.details !== 'object' || o.details === null || Array.isArray(o.details))
        throw new Error(`custom check ${ref} returned details: ${describe(o.details)}; expected an object`);
      outcome.details = o.details as Record<string, unknown>;
    }
    return outcome;
  }
  throw new Error(
    `custom check ${ref} returned ${value === null ? 'null' : typeof value}; expected ${RETURNS}`,
  );
}

/** `"false"`, `null`, `a list`, `an object`, `3`: what a check returned, for its error message. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : String(value);
}

/**
 * Imports the modules named by custom check references (`file:checks.ts#name`, path relative to `root`;
 * no `#name` means the default export) and returns them as compiled checks, keyed by reference. Node
 * imports .ts files directly. Throws ConfigError, located by `where(ref)`, when the reference is
 * malformed, the file is outside the project once resolved (through `../`, an absolute path or a
 * symlink), missing or fails to import, or the export is missing or not a function.
 */
export async function loadCustomChecks(
  refs: readonly string[],
  root: string,
  where: (ref: string) => ConfigErrorInfo,
): Promise<Map<string, CompiledCheck>> {
  const loaded = new Map<string, CompiledCheck>();
  for (const ref of refs) {
    if (loaded.has(ref)) continue;
    const fail = (problem: string, expected: string): never => {
      throw new ConfigError(problem, { ...where(ref), expected });
    };
    const parsed =
      parseCustomRef(ref) ??
      fail(
        `invalid custom check reference '${ref}'`,
        "'file:<path>#<export>', e.g. 'file:checks.ts#mentionsOrder'",
      );
    const abs = resolve(root, parsed.file);
    const shown = projectPath(root, abs);
    const outside = (): never =>
      fail(
        `custom check file '${parsed.file}' is outside the project (from '${ref}'): custom check files must live inside the project`,
        "a path relative to the project root, inside it, e.g. 'file:checks.ts#mentionsOrder'",
      );
    if (!isInside(resolve(root), abs)) outside();
    const isFile = await stat(abs).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile)
      fail(
        `custom check file '${shown}' not found (from '${ref}')`,
        'a JavaScript or TypeScript module in the project',
      );
    // Symlinks are followed: a link inside the project to a file outside it is outside too.
    if (!isInside(await realpath(root), await realpath(abs))) outside();

    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (error) {
      return fail(
        `cannot import custom check file '${shown}': ${(error as Error).message}`,
        'a module that imports without errors',
      );
    }
    const exportName = parsed.exportName ?? 'default';
    if (!Object.hasOwn(module, exportName)) {
      const names = Object.keys(module).filter((k) => typeof module[k] === 'function');
      fail(
        `'${shown}' has no export '${exportName}' (from '${ref}')`,
        names.length > 0 ? `one of its function exports: ${names.join(', ')}` : 'an exported function',
      );
    }
    const fn = module[exportName];
    if (typeof fn !== 'function')
      fail(
        `export '${exportName}' of '${shown}' is ${typeof fn}, not a function`,
        'a function (output, testCase, ctx) => result',
      );
    const check = fn as (...args: Parameters<CompiledCheck>) => unknown;
    loaded.set(ref, async (output, testCase, ctx) => toOutcome(ref, await check(output, testCase, ctx)));
  }
  return loaded;
}

/** Whether `path` is `root` or below it (both absolute, same form: both resolved or both real). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}
