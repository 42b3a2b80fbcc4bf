import { type ConfigError, ConfigErrors } from '../errors.ts';

/** Throws nothing for no errors, the error itself for one, a ConfigErrors listing them all for several. */
export function throwConfigErrors(errors: readonly ConfigError[]): void {
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0];
  throw new ConfigErrors([...errors]);
}
