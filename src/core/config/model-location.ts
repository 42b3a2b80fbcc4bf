import type { ConfigErrorInfo } from '../errors.ts';

/**
 * Where each configured model entry was written (file, line, field), kept beside the validated entry so
 * that problems found only when a model is resolved (a `file:` target's missing export) still point at
 * the line of `assay.yaml` that names it.
 */
const locations = new WeakMap<object, ConfigErrorInfo>();

export function setModelLocation(model: object, where: ConfigErrorInfo): void {
  locations.set(model, where);
}

/** The entry's location, or `{}` for a model built by code or added on the command line. */
export function modelLocation(model: object): ConfigErrorInfo {
  return locations.get(model) ?? {};
}
