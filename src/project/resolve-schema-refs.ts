import { dirname, extname, resolve } from 'node:path';
import { parse as parseYamlText } from 'yaml';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';
import type { CheckSpec } from '../core/types.ts';
import { type JudgeSpec, parseJudgeFile } from '../judges/judge-file.ts';
import { judgeRefs, replaceJudgeRefs } from '../judges/judges-in-check.ts';
import { assertInsideProject } from './inside-project.ts';
import { projectPath } from './project-path.ts';
import { readTextFile } from './read-text-file.ts';

/**
 * Replaces `schema: path.json` (a string) in check specs with the schema it names, read relative to
 * `baseFile`'s folder (`.json`, or `.yaml`/`.yml`), and every judge path (`judge: path.judge.md`, a jury's
 * `judges`, at any depth of all/any/weighted) with the parsed judge file. Returns a map old spec → new spec (unchanged specs map
 * to themselves), so shared specs stay shared.
 */
export async function resolveSchemaRefs(
  specs: Iterable<CheckSpec>,
  baseFile: string,
  root: string,
  whereOf: (spec: CheckSpec) => ConfigErrorInfo,
): Promise<Map<CheckSpec, CheckSpec>> {
  const out = new Map<CheckSpec, CheckSpec>();
  const cache = new Map<string, Promise<unknown>>();
  for (const spec of specs) {
    if (out.has(spec)) continue;
    if (judgeRefs(spec).some((r) => typeof r.value === 'string')) {
      // Judge paths anywhere in the check (nested in all/any/weighted, a jury's members).
      const where = whereOf(spec);
      const loaded = await replaceJudgeRefs(spec, (path, field) => {
        const abs = resolve(dirname(resolve(root, baseFile)), path);
        let pending = cache.get(abs);
        if (!pending) {
          assertInsideProject(root, abs, 'judge file', path, {
            ...where,
            field: where.field ? `${where.field}.${field}` : field,
          });
          pending = readJudgeFile(abs, projectPath(root, abs), {
            ...where,
            field: where.field ? `${where.field}.${field}` : field,
          });
          cache.set(abs, pending);
        }
        return pending as Promise<JudgeSpec>;
      });
      out.set(spec, loaded as CheckSpec);
      continue;
    }
    if (typeof spec.schema !== 'string') {
      out.set(spec, spec);
      continue;
    }
    const ref = spec.schema;
    const abs = resolve(dirname(resolve(root, baseFile)), ref);
    const where = whereOf(spec);
    const field = where.field ? `${where.field}.schema` : 'schema';
    assertInsideProject(root, abs, 'schema file', ref, { ...where, field });
    let pending = cache.get(abs);
    if (!pending) {
      pending = readSchema(abs, projectPath(root, abs), { ...where, field });
      cache.set(abs, pending);
    }
    out.set(spec, { ...spec, schema: await pending });
  }
  return out;
}

async function readSchema(abs: string, shown: string, where: ConfigErrorInfo): Promise<unknown> {
  const text = await readTextFile(
    abs,
    shown,
    { ...where, expected: 'a JSON Schema file path relative to the file that names it, or an inline schema' },
    'schema file',
  );
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(extname(abs)) ? parseYamlText(text) : JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `schema file '${shown}' is not valid ${/\.ya?ml$/i.test(abs) ? 'YAML' : 'JSON'}: ${(e as Error).message}`,
      {
        ...where,
        expected: 'a JSON Schema object',
      },
    );
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(`schema file '${shown}' does not hold a JSON Schema object`, {
      ...where,
      expected: 'a JSON object',
    });
  return value;
}

async function readJudgeFile(abs: string, shown: string, where: ConfigErrorInfo): Promise<unknown> {
  const text = await readTextFile(
    abs,
    shown,
    { ...where, expected: 'a *.judge.md file path relative to the file that names it' },
    'judge file',
  );
  return parseJudgeFile(text, shown);
}
