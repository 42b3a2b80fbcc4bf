import { compileSchema } from '../checks/compile-schema.ts';
import type { JsonSchema } from '../types.ts';

/**
 * Why `schema` is not a usable JSON Schema (draft-07, or 2019-09/2020-12 when its `$schema` says so), in
 * one short sentence; undefined when it compiles. Compiled schemas are cached for the json-schema check.
 */
export function jsonSchemaProblem(schema: JsonSchema): string | undefined {
  const result = compileSchema(schema);
  if (result.ok) return undefined;
  // "schema is invalid: data/properties/a/type must be equal to one of the allowed values, …" → first part.
  const first = result.error.replace(/^schema is invalid: /, '').split(', ')[0] ?? result.error;
  return first.replace(/^data(?=\/|\s)/, '/').replace(/^\/\//, '/');
}
