import { type ConfigError, ConfigErrors } from '../errors.ts';

/** Throws nothing for no errors, the error itself for one, a ConfigErrors listing them all for several. */
export function throwConfigErrors(errors: readonly ConfigError[]): void {
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0];
  // Stable order a person can follow: by file, then line.
  const sorted = [...errors].sort(
    (a, b) =>
      (a.info.file ?? '').localeCompare(b.info.file ?? '') ||
      (a.info.line ?? Number.MAX_SAFE_INTEGER) - (b.info.line ?? Number.MAX_SAFE_INTEGER),
  );
  throw new ConfigErrors(sorted);
}
