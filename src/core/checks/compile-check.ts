import { didYouMean } from '../did-you-mean.ts';
import { ConfigError, type ConfigErrorInfo } from '../errors.ts';
import type { CheckSpec, CompiledCheck } from '../types.ts';
import type { CheckRun } from './check-definition.ts';
import { checkRegistry } from './check-registry.ts';
import { SpecReader } from './spec-reader.ts';

/** Environment a check is compiled in: where its spec came from, and custom functions already imported. */
export interface CheckCompileEnv {
  /** Location of the spec, used in every ConfigError (file, line, field). */
  where: ConfigErrorInfo;
  /** `file:checks.ts#name` → the imported function, pre-loaded by the project loader. */
  customChecks?: Map<string, CompiledCheck>;
}

/**
 * Validates a check spec and returns a ready-to-run check. Throws ConfigError (with `where`) on a spec
 * that cannot work: unknown type (with a "did you mean"), bad regex, unreadable schema, missing value.
 * Implemented by the checks module.
 */
export type CompileCheck = (spec: CheckSpec, env: CheckCompileEnv) => CompiledCheck;

/** Keys every check accepts besides its own. */
export const COMMON_CHECK_KEYS: readonly string[] = ['type', 'name', 'not', 'weight'];

/** All built-in check type names, sorted (custom checks are also written as `type: file:…#name`). */
export function knownCheckTypes(): string[] {
  return [...checkRegistry.keys()].sort();
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? `'${value}'` : typeof value === 'object' ? 'an object' : String(value);
}

function withField(where: ConfigErrorInfo, field: string): ConfigErrorInfo {
  return { ...where, field: where.field ? `${where.field}.${field}` : field };
}

/** `not: true`: the verdict flips, a score s becomes 1 − s, the reason keeps its text behind "not: ". */
function negate(run: CheckRun): CheckRun {
  return async (output, testCase, ctx) => {
    const v = await run(output, testCase, ctx);
    const negated = { ...v, pass: !v.pass, reason: `not: ${v.reason}` };
    if (v.score !== undefined) negated.score = 1 - v.score;
    return negated;
  };
}

function compileSpec(spec: unknown, env: CheckCompileEnv): CheckRun {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError(`invalid check ${describe(spec)}`, {
      ...env.where,
      expected: "an object with a 'type', e.g. { type: contains, value: refund }",
    });
  }
  const raw = spec as Record<string, unknown>;
  const rawType = raw.type;
  if (typeof rawType !== 'string' || rawType === '') {
    throw new ConfigError(rawType === undefined ? "missing 'type'" : `invalid type ${describe(rawType)}`, {
      ...withField(env.where, 'type'),
      expected: `a check type, one of: ${knownCheckTypes().join(', ')}`,
    });
  }
  const type = rawType.startsWith('file:') ? 'custom' : rawType;
  const definition = checkRegistry.get(type);
  if (!definition) {
    const info: ConfigErrorInfo = {
      ...withField(env.where, 'type'),
      expected: `a check type, one of: ${knownCheckTypes().join(', ')}`,
    };
    const hint = didYouMean(rawType, checkRegistry.keys());
    if (hint) info.hint = hint;
    throw new ConfigError(`unknown check type '${rawType}'`, info);
  }

  const reader = new SpecReader(raw, env, type);
  const allowed = [...definition.keys, ...COMMON_CHECK_KEYS];
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) {
      reader.fail(
        key,
        `unknown key '${key}' for check '${type}'`,
        `one of: ${allowed.join(', ')}`,
        didYouMean(key, allowed),
      );
    }
  }
  // is-valid-tool-call uses `name` for the tool (and validates it itself).
  if (!definition.keys.includes('name')) reader.optionalString('name');
  reader.optionalNumber('weight', { min: 0 });
  const negated = reader.boolean('not', false);

  const run = definition.compile(reader, (child, field) =>
    compileSpec(child, { ...env, where: withField(env.where, field) }),
  );
  return negated ? negate(run) : run;
}

/** Validates a check spec (ConfigError on anything that cannot work) and returns the runnable check. */
export const compileCheck: CompileCheck = (spec, env) => compileSpec(spec, env);
