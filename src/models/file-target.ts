import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCustomRef } from '../core/checks/parse-custom-ref.ts';
import { modelLocation } from '../core/config/model-location.ts';
import { closestMatch } from '../core/did-you-mean.ts';
import { ConfigError } from '../core/errors.ts';
import type { ErrorKind, ToolCall, Usage } from '../core/types.ts';
import { readToolCalls, readUsage } from './http-target.ts';
import { mapModelError } from './map-model-error.ts';
import { ModelCallError, type ModelPort, type ModelRequest, type ModelResponse } from './model-port.ts';
import type { ProviderContext } from './provider-factories.ts';
import { staticExports } from './static-exports.ts';
import { targetInput } from './target-input.ts';

/**
 * A `file:` target: a function exported by a module of the project, called once per case with the case's
 * input, evaluated like a model. The module is imported at the first call (as custom checks are, Node
 * imports .ts directly); a missing file or export is a config error when the target is resolved.
 */

/** What the target function is given. */
export interface FileTargetInput {
  vars: Record<string, unknown>;
  messages: { role: string; content: string }[];
  prompt: string;
  caseId: string;
  signal: AbortSignal;
}

/** What it may return: the answer text, or the answer with tool calls, usage and cost. */
export type FileTargetResult =
  | string
  | { output: string; toolCalls?: unknown; usage?: unknown; cost?: number };

type TargetFunction = (input: FileTargetInput) => unknown;

const RETURNS = 'a string, or { output: string, toolCalls?, usage?, cost? }';
const ERROR_KINDS = new Set<ErrorKind>([
  'rate-limit',
  'server',
  'timeout',
  'network',
  'bad-response',
  'client',
]);

/** Whether `path` is `root` or below it (both absolute, same form). */
function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters being escaped
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Neutralises control characters (ANSI escapes, bidi overrides) in messages from user code. */
function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function createFileTarget(ctx: ProviderContext): ModelPort {
  const { config, root } = ctx;
  const id = config.id;
  const where = modelLocation(config);
  const fail = (problem: string, expected: string, hint?: string): never => {
    throw new ConfigError(problem, { ...where, expected, ...(hint ? { hint } : {}) });
  };
  const ref =
    parseCustomRef(id) ??
    fail(`'${id}' is not a file target`, "'file:PATH#EXPORT', e.g. 'file:targets/app.ts#answer'");
  const exportName = ref.exportName ?? 'default';
  const abs = resolve(root, ref.file);
  const inside = "a module inside the project, e.g. 'file:targets/app.ts#answer'";
  if (!isInside(resolve(root), abs)) fail(`target file '${ref.file}' is outside the project`, inside);
  let source: string;
  try {
    if (!statSync(abs).isFile()) throw new Error('not a file');
    // Symlinks are followed: a link inside the project to a file outside it is outside too.
    if (!isInside(realpathSync(root), realpathSync(abs)))
      fail(`target file '${ref.file}' is outside the project`, inside);
    source = readFileSync(abs, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    return fail(
      `target file '${ref.file}' not found (from '${id}')`,
      'a JavaScript or TypeScript module in the project',
    );
  }
  const names = staticExports(source);
  if (names && !names.has(exportName)) {
    const others = [...names].filter((n) => n !== 'default').sort();
    const near = closestMatch(exportName, others);
    fail(
      `'${ref.file}' has no export '${exportName}' (from '${id}')`,
      others.length > 0 ? `one of its exports: ${others.join(', ')}` : 'an exported function',
      near ? `did you mean '${near}'?` : undefined,
    );
  }

  let loading: Promise<TargetFunction> | undefined;
  const load = async (): Promise<TargetFunction> => {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (e) {
      throw new ModelCallError(`${id}: cannot import '${ref.file}': ${(e as Error).message}`, {
        kind: 'client',
        retryable: false,
      });
    }
    const fn = Object.hasOwn(module, exportName) ? module[exportName] : undefined;
    if (typeof fn !== 'function')
      throw new ModelCallError(
        `${id}: export '${exportName}' of '${ref.file}' is ${fn === undefined ? 'missing' : typeof fn}, not a function`,
        { kind: 'client', retryable: false },
      );
    return fn as TargetFunction;
  };

  return {
    id,
    provider: ctx.provider,
    modelName: ctx.name,
    // The entry module's text: editing it invalidates cached answers (files it imports do not; --no-cache).
    cacheIdentity: `file:${ref.file}#${exportName}:${createHash('sha256').update(source).digest('hex')}`,
    keyByVars: true,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const signal = request.signal ?? new AbortController().signal;
      loading ??= load();
      // A failed import is not cached: the next call tries again (and reports the same error).
      loading.catch(() => {
        loading = undefined;
      });
      const fn = await loading;
      const started = performance.now();
      let value: unknown;
      try {
        value = await fn({ ...targetInput(request), signal });
      } catch (e) {
        if (signal.aborted) throw mapModelError(e, { signal, modelId: id });
        throw thrownError(id, e);
      }
      const latencyMs = performance.now() - started;
      return { ...readResult(id, value), latencyMs, ...costOf(id, value, config.price) };
    },
  };
}

/**
 * A thrown error as a ModelCallError: not retried unless it says `retryable: true` (then it may give a
 * `kind` and `retryAfterMs`, like a rate limit of the application's own backend).
 */
function thrownError(id: string, e: unknown): ModelCallError {
  const o = (e ?? {}) as { message?: unknown; retryable?: unknown; kind?: unknown; retryAfterMs?: unknown };
  const message = printable(typeof o.message === 'string' ? o.message : String(e));
  const retryable = o.retryable === true;
  const kind = ERROR_KINDS.has(o.kind as ErrorKind) ? (o.kind as ErrorKind) : retryable ? 'server' : 'client';
  const retryAfterMs =
    typeof o.retryAfterMs === 'number' && Number.isFinite(o.retryAfterMs) && o.retryAfterMs >= 0
      ? o.retryAfterMs
      : undefined;
  return new ModelCallError(`${id}: ${message}`, {
    kind,
    retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    cause: e,
  });
}

function readResult(id: string, value: unknown): { text: string; toolCalls: ToolCall[]; usage: Usage } {
  const bad = (problem: string) =>
    new ModelCallError(`${id}: ${problem}; expected ${RETURNS}`, { kind: 'bad-response', retryable: false });
  if (typeof value === 'string') return { text: value, toolCalls: [], usage: {} };
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw bad(`returned ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
  const o = value as Record<string, unknown>;
  if (typeof o.output !== 'string')
    throw bad(`returned output: ${o.output === undefined ? 'missing' : typeof o.output}`);
  const toolCalls = readToolCalls(o.toolCalls);
  if (typeof toolCalls === 'string') throw bad(`returned toolCalls that ${toolCalls}`);
  const usage = readUsage(o.usage);
  if (typeof usage === 'string') throw bad(`returned usage that ${usage}`);
  return { text: o.output, toolCalls, usage };
}

/**
 * The cost the function reports, else the configured per-call price; neither: no cost here, so a prices
 * file (or the $0 default for targets) prices the call by its tokens.
 */
function costOf(id: string, value: unknown, price: number | undefined): { cost?: number } {
  const reported = value && typeof value === 'object' ? (value as { cost?: unknown }).cost : undefined;
  if (reported === undefined) return price === undefined ? {} : { cost: price };
  if (typeof reported !== 'number' || !Number.isFinite(reported) || reported < 0)
    throw new ModelCallError(`${id}: returned cost: ${String(reported)}; expected a number of USD ≥ 0`, {
      kind: 'bad-response',
      retryable: false,
    });
  return { cost: reported };
}
