import { ModelCallError } from './model-port.ts';

/**
 * Turns whatever a model call threw into a ModelCallError the engine can act on (kind, retryable,
 * retryAfterMs), or into an AbortError when the caller's own signal stopped the call. Shared by the AI SDK
 * adapter and the direct OpenAI-compatible adapter. Messages are scrubbed of every secret given.
 */

export interface MapErrorContext {
  /** The request's signal: tells a timeout (retryable) from the user's abort (rethrown). */
  signal?: AbortSignal;
  /** Values that must never appear in a message (API keys, resolved header values). */
  secrets?: readonly string[];
  /** Prefix naming the model, e.g. `openai:gpt-4o-mini`. */
  modelId?: string;
}

const networkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);
const timeoutCodes = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const badResponseNames = new Set([
  'AI_JSONParseError',
  'AI_TypeValidationError',
  'AI_InvalidResponseDataError',
  'AI_EmptyResponseBodyError',
  'AI_NoContentGeneratedError',
]);

/** An Error named `AbortError`: the caller's signal stopped the call (not retryable, not a result). */
export function createAbortError(reason?: unknown): Error {
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const e = new Error('the model call was aborted', { cause: reason });
  e.name = 'AbortError';
  return e;
}

/** Removes every secret (and its URL-encoded form) from a message. */
export function redact(message: string, secrets: readonly string[] = []): string {
  let out = message;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    out = out.split(s).join('[redacted]');
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('[redacted]');
  }
  return out;
}

/** `retry-after-ms` (ms) or `retry-after` (seconds or an HTTP date) → ms; undefined when absent or unreadable. */
export function parseRetryAfter(
  headers: Record<string, string | undefined> | Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const get = (name: string): string | undefined =>
    headers instanceof Headers
      ? (headers.get(name) ?? undefined)
      : (headers[name] ?? headers[name.toLowerCase()]);
  const ms = get('retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.round(n);
  }
  const ra = get('retry-after');
  if (ra === undefined || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The ModelCallError for an HTTP error status. */
export function errorForStatus(
  status: number,
  message: string,
  opts: { headers?: Record<string, string | undefined> | Headers; cause?: unknown } = {},
): ModelCallError {
  const base = { status, cause: opts.cause };
  if (status === 429)
    return new ModelCallError(message, {
      ...base,
      kind: 'rate-limit',
      retryable: true,
      retryAfterMs: parseRetryAfter(opts.headers),
    });
  if (status === 408) return new ModelCallError(message, { ...base, kind: 'timeout', retryable: true });
  if (status >= 500)
    return new ModelCallError(message, {
      ...base,
      kind: 'server',
      retryable: true,
      retryAfterMs: parseRetryAfter(opts.headers),
    });
  if (status >= 400) return new ModelCallError(message, { ...base, kind: 'client', retryable: false });
  return new ModelCallError(message, { ...base, kind: 'bad-response', retryable: true });
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorName(e: unknown): string | undefined {
  return e && typeof e === 'object' && typeof (e as { name?: unknown }).name === 'string'
    ? (e as { name: string }).name
    : undefined;
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

const apiCallErrorMarker = Symbol.for('vercel.ai.error.AI_APICallError');

/**
 * The AI SDK's `APICallError.isInstance(e)`, reimplemented on the same global marker symbol so that this
 * module (shared with the direct adapter) does not load `ai`.
 */
export function isApiCallError(e: unknown): e is {
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  message: string;
  cause?: unknown;
} {
  return e != null && typeof e === 'object' && (e as Record<symbol, unknown>)[apiCallErrorMarker] === true;
}

/**
 * The error to keep as `cause`: the original, unless a secret shows in its message or the response body it
 * carries (a server echoing the key), in which case a redacted stand-in with the same name, status and code.
 */
function safeCause(e: unknown, secrets: readonly string[] | undefined): unknown {
  if (!secrets || secrets.length === 0 || !e || typeof e !== 'object') return e;
  const o = e as { message?: unknown; responseBody?: unknown; data?: unknown; cause?: unknown };
  const parts = [o.message, o.responseBody, (o.cause as { message?: unknown } | undefined)?.message];
  try {
    if (o.data !== undefined) parts.push(JSON.stringify(o.data));
  } catch {
    // unserialisable data: ignore
  }
  const text = parts.filter((p): p is string => typeof p === 'string').join('\n');
  if (redact(text, secrets) === text) return e;
  const clean = new Error(redact(messageOf(e), secrets));
  clean.name = errorName(e) ?? 'Error';
  const extra = e as { statusCode?: unknown; code?: unknown; responseHeaders?: unknown };
  return Object.assign(clean, {
    ...(extra.statusCode !== undefined ? { statusCode: extra.statusCode } : {}),
    ...(extra.code !== undefined ? { code: extra.code } : {}),
    ...(extra.responseHeaders !== undefined ? { responseHeaders: extra.responseHeaders } : {}),
  });
}

/**
 * Maps an error thrown during a model call. Returns the error to throw: a ModelCallError, or an AbortError
 * when `ctx.signal` was aborted by the caller (not by a timeout).
 */
export function mapModelError(e: unknown, ctx: MapErrorContext = {}): Error {
  if (e instanceof ModelCallError) return e;
  const prefix = ctx.modelId ? `${ctx.modelId}: ` : '';
  const msg = (m: string) => redact(`${prefix}${m}`, ctx.secrets);
  const signal = ctx.signal;
  const cause = safeCause(e, ctx.secrets);

  // Aborts: a timeout is a retryable error; anything else that aborted the signal is the user's stop.
  if (signal?.aborted) {
    const reasonName = errorName(signal.reason);
    if (reasonName === 'TimeoutError' || errorName(e) === 'TimeoutError')
      return new ModelCallError(msg('timed out'), { kind: 'timeout', retryable: true, cause });
    return createAbortError(signal.reason);
  }
  const name = errorName(e);
  if (name === 'TimeoutError')
    return new ModelCallError(msg('timed out'), { kind: 'timeout', retryable: true, cause });
  if (name === 'AbortError') return createAbortError(e);

  if (isApiCallError(e)) {
    const status = e.statusCode;
    if (status !== undefined && status >= 200 && status < 300) {
      // 200 with a body the SDK could not read (invalid JSON, wrong shape).
      return new ModelCallError(msg(`bad response (status ${status}): ${e.message}`), {
        kind: 'bad-response',
        retryable: true,
        status,
        cause,
      });
    }
    if (status !== undefined) {
      return errorForStatus(status, msg(`HTTP ${status}: ${e.message}`), {
        headers: e.responseHeaders,
        cause,
      });
    }
    const code = errorCode(e.cause);
    if (code && timeoutCodes.has(code))
      return new ModelCallError(msg(e.message), { kind: 'timeout', retryable: true, cause });
    return new ModelCallError(msg(e.message), { kind: 'network', retryable: true, cause });
  }

  if (name && badResponseNames.has(name))
    return new ModelCallError(msg(`bad response: ${messageOf(e)}`), {
      kind: 'bad-response',
      retryable: true,
      cause,
    });
  if (name === 'AI_RetryError') {
    const last = (e as { lastError?: unknown }).lastError;
    if (last !== undefined) return mapModelError(last, ctx);
  }
  const code = errorCode(e);
  if (code && timeoutCodes.has(code))
    return new ModelCallError(msg(messageOf(e)), { kind: 'timeout', retryable: true, cause });
  const text = messageOf(e);
  if (
    (code && networkCodes.has(code)) ||
    /fetch failed|socket hang up|other side closed|ECONNRESET|ECONNREFUSED/i.test(text)
  ) {
    const detail = code && !text.includes(code) ? `${text} (${code})` : text;
    return new ModelCallError(msg(`network error: ${detail}`), {
      kind: 'network',
      retryable: true,
      cause,
    });
  }
  if (e instanceof SyntaxError)
    return new ModelCallError(msg(`bad response: ${text}`), {
      kind: 'bad-response',
      retryable: true,
      cause,
    });
  // Anything else (invalid prompt, unsupported setting…) is a client-side problem: retrying will not help.
  return new ModelCallError(msg(text), { kind: 'client', retryable: false, cause });
}
