import type { z } from 'zod';
import { closestMatch } from '../did-you-mean.ts';
import { ConfigError } from '../errors.ts';
import type { FieldPath, Locate } from '../yaml-locate.ts';
import { formatFieldPath } from './format-field-path.ts';

type Issue = z.core.$ZodIssue;

/** Where the validated value came from, to turn zod issues into located ConfigErrors. */
export interface IssueContext {
  file: string;
  /** The raw value that was validated (to describe what was found). */
  input: unknown;
  /** The schema it was validated with (to suggest known keys for unknown ones). */
  schema?: z.ZodType;
  /** Maps a path (from the document root, i.e. `basePath` + issue path) to a position. */
  locate?: Locate;
  /** Where `input` sits in its document (e.g. `['cases', 3]`); prefixed to every field path. */
  basePath?: FieldPath;
  /** Line to report when there is no `locate` (a JSONL line, a CSV row). */
  line?: number;
}

/** Keys people write for another key of the same object; used before edit-distance suggestions. */
const KEY_ALIASES: Record<string, string[]> = {
  output: ['outputSchema'],
  output_schema: ['outputSchema'],
  schema: ['outputSchema'],
  response_format: ['outputSchema'],
  responseFormat: ['outputSchema'],
  vars: ['variables'],
  variables: ['vars'],
  inputs: ['vars', 'variables'],
  assert: ['checks'],
  asserts: ['checks'],
  assertions: ['checks'],
  tests: ['cases'],
  max_tokens: ['maxTokens'],
  top_p: ['topP'],
  base_url: ['baseUrl'],
  baseURL: ['baseUrl'],
  api_base: ['baseUrl'],
  api_key_env: ['apiKeyEnv'],
  timeout: ['timeoutMs'],
  retries: ['maxRetries'],
  parameters: ['settings'],
  params: ['settings'],
  tag: ['tags'],
};

/** One ConfigError per problem, each with file, line/column, field path, what was expected and a hint. */
export function issuesToConfigErrors(issues: readonly Issue[], ctx: IssueContext): ConfigError[] {
  const out: ConfigError[] = [];
  for (const issue of flattenUnions(issues)) out.push(...issueToErrors(issue, ctx));
  return out;
}

function issueToErrors(issue: Issue, ctx: IssueContext): ConfigError[] {
  const rel = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  const base = ctx.basePath ?? [];
  const place = (path: FieldPath, at: 'key' | 'value' = 'value') => {
    const pos = ctx.locate?.([...base, ...path], at);
    return { file: ctx.file, line: pos?.line ?? ctx.line, column: pos?.column };
  };
  const field = (path: FieldPath) => formatFieldPath([...base, ...path]) || undefined;
  const received = valueAt(ctx.input, rel);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = ctx.schema ? keysAt(ctx.schema, rel) : [];
      return issue.keys.map((key) => {
        const path = [...rel, key];
        const suggestion = suggestKey(key, known);
        return new ConfigError(`unknown key '${key}'`, {
          ...place(path, 'key'),
          field: field(path),
          expected: known.length ? `one of: ${known.join(', ')}` : undefined,
          hint: suggestion ? `did you mean '${suggestion}'?` : 'remove it or check the spelling',
        });
      });
    }
    case 'invalid_type': {
      if (received === undefined) {
        return [
          new ConfigError('missing required field', {
            ...place(rel),
            field: field(rel),
            expected: describeType(issue.expected),
          }),
        ];
      }
      return [
        new ConfigError(`wrong type: found ${describeValue(received)}`, {
          ...place(rel),
          field: field(rel),
          expected: describeType(issue.expected),
        }),
      ];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v));
      const suggestion = typeof received === 'string' ? closestMatch(received, options) : undefined;
      return [
        new ConfigError(`invalid value ${describeValue(received)}`, {
          ...place(rel),
          field: field(rel),
          expected: options.length === 1 ? JSON.stringify(issue.values[0]) : `one of: ${options.join(', ')}`,
          hint: suggestion ? `did you mean '${suggestion}'?` : undefined,
        }),
      ];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = small ? issue.minimum : issue.maximum;
      const op = small ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<';
      let expected: string;
      if (issue.origin === 'array')
        expected = small ? `at least ${bound} item(s)` : `at most ${bound} item(s)`;
      else if (issue.origin === 'string')
        expected = small ? `at least ${bound} character(s)` : `at most ${bound} character(s)`;
      else expected = `a number ${op} ${bound}`;
      return [
        new ConfigError(`out of range: found ${describeValue(received)}`, {
          ...place(rel),
          field: field(rel),
          expected,
        }),
      ];
    }
    case 'invalid_format':
      return [
        new ConfigError(`badly formed value ${describeValue(received)}`, {
          ...place(rel),
          field: field(rel),
          expected:
            issue.format === 'regex' && issue.pattern ? `text matching ${issue.pattern}` : issue.format,
        }),
      ];
    case 'custom': {
      const params = (issue.params ?? {}) as { expected?: string; hint?: string; at?: 'key' | 'value' };
      return [
        new ConfigError(issue.message, {
          ...place(rel, params.at),
          field: field(rel),
          expected: params.expected,
          hint: params.hint,
        }),
      ];
    }
    case 'invalid_union':
      return [
        new ConfigError(`wrong type: found ${describeValue(received)}`, {
          ...place(rel),
          field: field(rel),
          expected: unionExpected(issue),
        }),
      ];
    default:
      return [new ConfigError(issue.message, { ...place(rel), field: field(rel) })];
  }
}

function suggestKey(key: string, known: string[]): string | undefined {
  const alias = KEY_ALIASES[key]?.find((k) => known.includes(k));
  return alias ?? closestMatch(key, known);
}

/**
 * A union reports one issue list per option. Keep the option whose type matched (its issues are about the
 * inside of the value), so a typo inside an object is not drowned in "expected a string".
 */
function flattenUnions(issues: readonly Issue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    if (issue.code !== 'invalid_union' || issue.errors.length === 0) {
      out.push(issue);
      continue;
    }
    const matching = issue.errors.filter(
      (branch) =>
        !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_union')),
    );
    const chosen = matching.sort((a, b) => a.length - b.length)[0];
    if (!chosen) {
      out.push(issue);
      continue;
    }
    const prefixed = chosen.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue);
    out.push(...flattenUnions(prefixed));
  }
  return out;
}

function unionExpected(issue: Extract<Issue, { code: 'invalid_union' }>): string {
  const kinds = new Set<string>();
  for (const branch of issue.errors) {
    for (const i of branch) {
      if (i.path.length === 0 && i.code === 'invalid_type') kinds.add(describeType(i.expected));
      else if (i.path.length === 0 && i.code === 'invalid_union') kinds.add(unionExpected(i));
    }
  }
  return kinds.size ? [...kinds].join(' or ') : 'a valid value';
}

/** Human words for a zod type name. */
export function describeType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'int':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'object':
    case 'record':
      return 'a mapping (key: value)';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'function':
      return 'a function';
    case 'null':
      return 'null';
    default:
      return expected;
  }
}

/** `a string ("abc")`, `a number (3)`, `a list`, `a mapping`, `null`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
    case 'number':
      return `a number (${value})`;
    case 'boolean':
      return `a boolean (${value})`;
    case 'function':
      return 'a function';
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

function valueAt(root: unknown, path: FieldPath): unknown {
  let cur = root;
  for (const segment of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[segment];
  }
  return cur;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
  items?: z.ZodType[];
}

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Keys the object schema(s) at `path` accept. */
export function keysAt(schema: z.ZodType, path: FieldPath): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt([schema], path))
    for (const o of objects(s, 0)) for (const k of Object.keys(o)) keys.add(k);
  return [...keys];
}

function schemasAt(schemas: z.ZodType[], path: FieldPath): z.ZodType[] {
  let current = schemas;
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const s of current) next.push(...childSchemas(s, segment, 0));
    current = next;
  }
  return current;
}

function childSchemas(schema: z.ZodType, segment: string | number, depth: number): z.ZodType[] {
  if (depth > 20) return [];
  const def = defOf(schema);
  const unwrapped = unwrap(def);
  if (unwrapped) return unwrapped.flatMap((s) => childSchemas(s, segment, depth + 1));
  if (def.type === 'object' && def.shape && typeof segment === 'string') {
    const child = def.shape[segment];
    return child ? [child] : [];
  }
  if (def.type === 'array' && def.element && typeof segment === 'number') return [def.element];
  if (def.type === 'tuple' && def.items && typeof segment === 'number') {
    const item = def.items[segment];
    return item ? [item] : [];
  }
  if (def.type === 'record' && def.valueType) return [def.valueType];
  return [];
}

function objects(schema: z.ZodType, depth: number): Record<string, z.ZodType>[] {
  if (depth > 20) return [];
  const def = defOf(schema);
  const unwrapped = unwrap(def);
  if (unwrapped) return unwrapped.flatMap((s) => objects(s, depth + 1));
  return def.type === 'object' && def.shape ? [def.shape] : [];
}

function unwrap(def: Def): z.ZodType[] | undefined {
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
    case 'success':
      return def.innerType ? [def.innerType] : [];
    case 'union':
      return def.options ?? [];
    case 'pipe':
      return [def.in, def.out].filter((s): s is z.ZodType => s !== undefined);
    case 'lazy':
      return def.getter ? [def.getter()] : [];
    default:
      return undefined;
  }
}
