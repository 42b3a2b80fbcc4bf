import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { JsonSchema } from '../types.ts';

const addFormats = addFormatsModule.default;

export type SchemaCompileResult = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

// Suites merge default checks into every case, so the same schema is compiled many times: memoise by
// content. One Ajv instance per schema keeps `$id`s of unrelated schemas from clashing.
const cache = new Map<string, SchemaCompileResult>();

function newAjv(schema: JsonSchema): Ajv {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  const options = { allErrors: true, strict: false } as const;
  const ajv = draft.includes('2020-12')
    ? new Ajv2020(options)
    : draft.includes('2019-09')
      ? new Ajv2019(options)
      : new Ajv(options);
  addFormats(ajv);
  return ajv;
}

/**
 * Compiles a JSON Schema: draft 2020-12 or 2019-09 when `$schema` says so, otherwise draft-07, with the
 * ajv-formats formats. An invalid schema comes back as `{ ok: false }` with ajv's message.
 */
export function compileSchema(schema: JsonSchema): SchemaCompileResult {
  const key = JSON.stringify(schema);
  const cached = cache.get(key);
  if (cached) return cached;
  let result: SchemaCompileResult;
  try {
    result = { ok: true, validate: newAjv(schema).compile(schema) };
  } catch (error) {
    result = { ok: false, error: (error as Error).message };
  }
  cache.set(key, result);
  return result;
}

/** The first few ajv errors as one line: `/items/0/sku must be string; / must have required property 'id'`. */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined, max = 3): string {
  if (!errors || errors.length === 0) return 'does not match the schema';
  const shown = errors.slice(0, max).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  const more = errors.length > max ? ` (+${errors.length - max} more)` : '';
  return shown.join('; ') + more;
}
