import type { ConfigErrorInfo } from '../errors.ts';
import type { CheckSpec, CompiledCheck } from '../types.ts';

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
