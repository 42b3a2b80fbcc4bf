import { canonicalJson } from '../core/canonical-json.ts';
import { type JsonPathSegment, lookupJsonPath, parseJsonPath } from '../core/checks/json-path.ts';
import { formatFieldPath } from '../core/config/format-field-path.ts';
import { modelLocation } from '../core/config/model-location.ts';
import { ConfigError } from '../core/errors.ts';
import { promptLiquid } from '../core/prompt/prompt-liquid.ts';
import type { ToolCall, Usage } from '../core/types.ts';
import { errorForStatus, mapModelError, redact } from './map-model-error.ts';
import { ModelCallError, type ModelPort, type ModelRequest, type ModelResponse } from './model-port.ts';
import { headerEnvRefs, type ProviderContext, resolveHeaders } from './provider-factories.ts';
import { type TargetInput, targetInput } from './target-input.ts';

/**
 * An `http:` target: a team's own application behind an HTTP endpoint, evaluated like a model. The body
 * is a JSON template rendered per call from the case (vars, messages, prompt, caseId); the answer is read
 * from the response by JSONPath. Header values come from the environment only and never leave the call.
 */

/** The body sent when none is configured. */
const DEFAULT_BODY = {
  prompt: '{{ prompt }}',
  messages: '{{ messages }}',
  vars: '{{ vars }}',
  caseId: '{{ caseId }}',
};

/** A string that is exactly one `{{ expression }}`: rendered as the expression's value, not as text. */
const WHOLE_VALUE = /^\s*\{\{-?\s*((?:(?!\}\}).)+?)\s*-?\}\}\s*$/s;

/** A compiled body template: rendering yields the JSON value to send. */
type BodyRenderer = (scope: TargetInput) => Promise<unknown>;

/** Builds the renderer of a body template, with the field path of each string for error messages. */
function compileBody(value: unknown, path: (string | number)[]): BodyRenderer {
  const liquid = promptLiquid();
  if (typeof value === 'string') {
    const field = formatFieldPath(path);
    const whole = WHOLE_VALUE.exec(value)?.[1];
    const templates = whole === undefined ? liquid.parse(value) : undefined;
    return async (scope) => {
      try {
        // `{{ messages }}` sends the list itself, `{{ vars.n }}` a number stays a number.
        if (whole !== undefined) return toJson(await liquid.evalValue(whole, scope));
        return await liquid.render(templates ?? [], scope);
      } catch (e) {
        throw new RenderError(`${field}: ${(e as Error).message.replace(/, line:\d+, col:\d+$/, '')}`);
      }
    };
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileBody(v, [...path, i]));
    return (scope) => Promise.all(items.map((r) => r(scope)));
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileBody(v, [...path, k])] as const);
    return async (scope) => {
      const out: Record<string, unknown> = {};
      for (const [k, r] of entries) out[k] = await r(scope);
      return out;
    };
  }
  return async () => value;
}

/** Liquid may hand back values JSON cannot carry (undefined, drops); those become null. */
function toJson(value: unknown): unknown {
  return value === undefined ? null : value;
}

class RenderError extends Error {}

interface ResponsePaths {
  output?: { text: string; segments: JsonPathSegment[] };
  toolCalls?: { text: string; segments: JsonPathSegment[] };
  usage?: { text: string; segments: JsonPathSegment[] };
}

function compilePaths(response: ProviderContext['config']['response']): ResponsePaths {
  if (response === undefined) return {};
  const spec = typeof response === 'string' ? { output: response } : response;
  const out: ResponsePaths = {};
  for (const key of ['output', 'toolCalls', 'usage'] as const) {
    const text = spec[key];
    if (text === undefined) continue;
    const parsed = parseJsonPath(text);
    // The config schema has already refused a bad path; this guards configs built by code.
    if (!parsed.ok)
      throw new ConfigError(`invalid JSONPath '${text}': ${parsed.error}`, {
        field: key === 'output' && typeof response === 'string' ? 'response' : `response.${key}`,
      });
    out[key] = { text, segments: parsed.segments };
  }
  return out;
}

/** A short, escaped look at a response body for an error message (control characters and quotes escaped). */
export function excerpt(text: string, max = 200): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}

function num(o: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return undefined;
}

/** Token counts under any of the usual spellings (Assay's, OpenAI's, Anthropic's). */
export function readUsage(value: unknown): Usage | string {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return 'is not an object of token counts';
  const o = value as Record<string, unknown>;
  const usage: Usage = {};
  const input = num(o, 'inputTokens', 'input_tokens', 'prompt_tokens', 'promptTokens');
  const output = num(o, 'outputTokens', 'output_tokens', 'completion_tokens', 'completionTokens');
  const total = num(o, 'totalTokens', 'total_tokens');
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (total !== undefined) usage.totalTokens = total;
  else if (input !== undefined && output !== undefined) usage.totalTokens = input + output;
  return usage;
}

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Tool calls as `{name, arguments}` (or `input`/`args`), or OpenAI's `{function: {name, arguments}}`. */
export function readToolCalls(value: unknown): ToolCall[] | string {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) return 'is not a list of tool calls';
  const calls: ToolCall[] = [];
  for (const [i, item] of value.entries()) {
    const o = (item ?? {}) as Record<string, unknown>;
    const fn = (o.function ?? o) as Record<string, unknown>;
    if (typeof fn.name !== 'string') return `item [${i}] has no name`;
    calls.push({
      ...(typeof o.id === 'string' ? { id: o.id } : {}),
      name: fn.name,
      arguments: parseArguments(fn.arguments ?? fn.input ?? fn.args),
    });
  }
  return calls;
}

/** The answer text from the value a path selected: strings as they are, other JSON as JSON text. */
function outputText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return undefined;
  return JSON.stringify(value);
}

export function createHttpTarget(ctx: ProviderContext): ModelPort {
  const { config, env } = ctx;
  const id = config.id;
  const where = modelLocation(config);
  const field = (name: string) => (where.field ? `${where.field.replace(/\.id$/, '')}.${name}` : name);
  if (config.url === undefined)
    throw new ConfigError(`${id} needs a url`, {
      ...where,
      field: field('url'),
      expected: 'url: http://127.0.0.1:3000/chat (the endpoint of your application)',
    });
  for (const { header, variable } of headerEnvRefs(config.headers))
    if (!env[variable])
      throw new ConfigError(`header ${header} of ${id} needs \${${variable}}, which is not set`, {
        ...where,
        field: field(`headers.${header}`),
        hint: `export ${variable} before running`,
      });
  const method = config.method ?? 'POST';
  const liquid = promptLiquid();
  const urlTemplate = liquid.parse(config.url);
  const body = method === 'GET' ? undefined : compileBody(config.body ?? DEFAULT_BODY, ['body']);
  const paths = compilePaths(config.response);
  const doFetch =
    ctx.fetch ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, init));
  // Without a per-call price the call is priced by tokens (a prices file, else $0).
  const priced = config.price === undefined ? {} : { cost: config.price };

  return {
    id,
    provider: ctx.provider,
    modelName: ctx.name,
    // What decides the answer besides the case: the request and where the answer is read. Never a header.
    cacheIdentity: `http:${canonicalJson({ url: config.url, method, body: config.body ?? DEFAULT_BODY, response: config.response })}`,
    keyByVars: true,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const { signal } = request;
      let secrets: string[] = [];
      const clientError = (message: string, kind: 'client' | 'bad-response' = 'client') =>
        new ModelCallError(redact(`${id}: ${message}`, secrets), { kind, retryable: false });
      const started = performance.now();
      try {
        const scope = targetInput(request);
        let url: string;
        let payload: unknown;
        try {
          url = await liquid.render(urlTemplate, scope);
          payload = body ? await body(scope) : undefined;
        } catch (e) {
          const m = (e as Error).message.replace(/, line:\d+, col:\d+$/, '');
          throw clientError(`cannot render the request: ${e instanceof RenderError ? m : `url: ${m}`}`);
        }
        const resolved = resolveHeaders(config, env);
        secrets = resolved.secrets;
        const headers: Record<string, string> = { accept: 'application/json' };
        if (payload !== undefined) headers['content-type'] = 'application/json';
        Object.assign(headers, resolved.headers);
        const res = await doFetch(url, {
          method,
          headers,
          ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
          signal,
        });
        const text = await res.text();
        if (!res.ok)
          throw errorForStatus(res.status, redact(`${id}: HTTP ${res.status}: ${excerpt(text)}`, secrets), {
            headers: res.headers,
          });
        const latencyMs = performance.now() - started;
        if (!paths.output && !paths.toolCalls && !paths.usage)
          return { text: redact(text, secrets), toolCalls: [], usage: {}, latencyMs, ...priced };
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          throw clientError(
            `the response is not JSON, so ${paths.output?.text ?? 'a path'} cannot be read: ${excerpt(text)}`,
            'bad-response',
          );
        }
        let output = '';
        if (paths.output) {
          const found = lookupJsonPath(json, paths.output.segments);
          const value = found.found ? outputText(found.value) : undefined;
          if (value === undefined)
            throw clientError(
              `response path ${paths.output.text} ${found.found ? 'is null' : `matched nothing (no ${found.missingAt})`} in ${excerpt(text)}`,
              'bad-response',
            );
          output = value;
        }
        let toolCalls: ToolCall[] = [];
        if (paths.toolCalls) {
          const found = lookupJsonPath(json, paths.toolCalls.segments);
          const calls = readToolCalls(found.found ? found.value : undefined);
          if (typeof calls === 'string')
            throw clientError(
              `response path ${paths.toolCalls.text} ${calls}: ${excerpt(text)}`,
              'bad-response',
            );
          toolCalls = calls;
        }
        let usage: Usage = {};
        if (paths.usage) {
          const found = lookupJsonPath(json, paths.usage.segments);
          const u = readUsage(found.found ? found.value : undefined);
          if (typeof u === 'string')
            throw clientError(`response path ${paths.usage.text} ${u}: ${excerpt(text)}`, 'bad-response');
          usage = u;
        }
        // An application that echoes a header's value must not get it into the store.
        return {
          text: redact(output, secrets),
          toolCalls: secrets.length > 0 ? redactCalls(toolCalls, secrets) : toolCalls,
          usage,
          latencyMs,
          ...priced,
        };
      } catch (e) {
        throw mapModelError(e, { signal, secrets, modelId: id });
      }
    },
  };
}

function redactCalls(calls: ToolCall[], secrets: readonly string[]): ToolCall[] {
  return calls.map((c) => {
    const args = JSON.stringify(c.arguments);
    const clean = redact(args, secrets);
    return clean === args ? c : { ...c, arguments: JSON.parse(clean) as unknown };
  });
}
