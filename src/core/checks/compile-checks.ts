import { ConfigError, ConfigErrors } from '../errors.ts';
import type { CheckSpec, CompiledCheck } from '../types.ts';
import { type CheckCompileEnv, compileCheck } from './compile-check.ts';

/** A compiled check with the labels its result is reported under. */
export interface CompiledCheckEntry {
  type: string;
  name?: string;
  run: CompiledCheck;
}

/**
 * Compiles a list of checks. `env.where.field` names the list (default `checks`); item i is reported as
 * `<field>[i]`. Collects every ConfigError and throws them together (ConfigErrors) when more than one.
 */
export function compileChecks(specs: readonly CheckSpec[], env: CheckCompileEnv): CompiledCheckEntry[] {
  const base = env.where.field ?? 'checks';
  const errors: ConfigError[] = [];
  const entries: CompiledCheckEntry[] = [];
  specs.forEach((spec, i) => {
    try {
      const run = compileCheck(spec, { ...env, where: { ...env.where, field: `${base}[${i}]` } });
      const custom = spec.type.startsWith('file:');
      const entry: CompiledCheckEntry = { type: custom ? 'custom' : spec.type, run };
      const name = typeof spec.name === 'string' ? spec.name : custom ? spec.type : undefined;
      if (name !== undefined) entry.name = name;
      entries.push(entry);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      errors.push(error);
    }
  });
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
  return entries;
}
