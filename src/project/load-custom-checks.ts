import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
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
    if (o.pass !== undefined) outcome.pass = o.pass as boolean;
    if (o.score !== undefined) outcome.score = o.score as number;
    if (o.details !== undefined) outcome.details = o.details as Record<string, unknown>;
    return outcome; // types of pass/score are validated by the custom check itself
  }
  throw new Error(
    `custom check ${ref} returned ${value === null ? 'null' : typeof value}; expected ${RETURNS}`,
  );
}

/**
 * Imports the modules named by custom check references (`file:checks.ts#name`, path relative to `root`;
 * no `#name` means the default export) and returns them as compiled checks, keyed by reference. Node
 * imports .ts files directly. Throws ConfigError, located by `where(ref)`, when the reference is
 * malformed, the file is missing or fails to import, or the export is missing or not a function.
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
    const isFile = await stat(abs).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!isFile)
      fail(
        `custom check file '${shown}' not found (from '${ref}')`,
        'a JavaScript or TypeScript module in the project',
      );

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
