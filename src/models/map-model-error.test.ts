import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import {
  createAbortError,
  isApiCallError,
  mapModelError,
  parseRetryAfter,
  redact,
} from './map-model-error.ts';
import { ModelCallError } from './model-port.ts';

function apiError(statusCode: number | undefined, headers: Record<string, string> = {}, cause?: unknown) {
  return new APICallError({
    message: 'boom',
    url: 'http://127.0.0.1/v1/chat/completions',
    requestBodyValues: {},
    statusCode,
    responseHeaders: headers,
    cause,
  });
}

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');
  it.each([
    [{ 'retry-after': '3' }, 3000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '1234.4' }, 1234],
    [{ 'retry-after-ms': '200', 'retry-after': '9' }, 200],
    [{ 'retry-after': 'Tue, 24 Nov 2026 10:00:07 GMT' }, 7000],
    [{ 'retry-after': 'Tue, 24 Nov 2026 09:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%o → %s', (headers, expected) => {
    expect(parseRetryAfter(headers, now)).toBe(expected);
  });
  it('reads a Headers object', () => {
    expect(parseRetryAfter(new Headers({ 'Retry-After': '2' }), now)).toBe(2000);
  });
});

describe('mapModelError', () => {
  it('recognises APICallError the way APICallError.isInstance does', () => {
    const e = apiError(500);
    expect(isApiCallError(e)).toBe(APICallError.isInstance(e));
    expect(isApiCallError(new Error('x'))).toBe(false);
  });

  it.each([
    [429, 'rate-limit', true],
    [500, 'server', true],
    [529, 'server', true],
    [408, 'timeout', true],
    [400, 'client', false],
    [401, 'client', false],
    [404, 'client', false],
    [200, 'bad-response', true],
  ] as const)('status %i → %s (retryable %s)', (status, kind, retryable) => {
    const e = mapModelError(apiError(status, { 'retry-after': '1' }), {
      modelId: 'openai:x',
    }) as ModelCallError;
    expect(e).toBeInstanceOf(ModelCallError);
    expect(e).toMatchObject({ kind, retryable, status });
    expect(e.message.startsWith('openai:x: ')).toBe(true);
    if (status === 429) expect(e.retryAfterMs).toBe(1000);
  });

  it('connection errors are network errors, connect timeouts are timeouts', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(mapModelError(apiError(undefined, {}, refused))).toMatchObject({
      kind: 'network',
      retryable: true,
    });
    const slow = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(mapModelError(new TypeError('fetch failed', { cause: slow }))).toMatchObject({ kind: 'timeout' });
    expect(mapModelError(new TypeError('fetch failed'))).toMatchObject({ kind: 'network', retryable: true });
    expect(mapModelError(new Error('socket hang up'))).toMatchObject({ kind: 'network' });
  });

  it('tells a timeout from the user abort by the signal', () => {
    const timeout = AbortSignal.abort(new DOMException('timed out', 'TimeoutError'));
    expect(mapModelError(new DOMException('aborted', 'AbortError'), { signal: timeout })).toMatchObject({
      kind: 'timeout',
      retryable: true,
    });
    const user = AbortSignal.abort();
    const e = mapModelError(new DOMException('aborted', 'AbortError'), { signal: user });
    expect(e).not.toBeInstanceOf(ModelCallError);
    expect(e.name).toBe('AbortError');
    const custom = AbortSignal.abort('SIGINT');
    expect(mapModelError(new Error('whatever'), { signal: custom }).name).toBe('AbortError');
    expect(createAbortError('x').cause).toBe('x');
  });

  it('bad bodies are bad-response; other errors are client errors', () => {
    const parse = Object.assign(new Error('JSON parsing failed'), { name: 'AI_JSONParseError' });
    expect(mapModelError(parse)).toMatchObject({ kind: 'bad-response', retryable: true });
    expect(mapModelError(new SyntaxError('Unexpected token'))).toMatchObject({ kind: 'bad-response' });
    const invalid = Object.assign(new Error('Invalid prompt'), { name: 'AI_InvalidPromptError' });
    expect(mapModelError(invalid)).toMatchObject({ kind: 'client', retryable: false });
  });

  it('unwraps a RetryError to its last error', () => {
    const retry = Object.assign(new Error('Failed after 3 attempts'), {
      name: 'AI_RetryError',
      lastError: apiError(503),
    });
    expect(mapModelError(retry)).toMatchObject({ kind: 'server', status: 503 });
  });

  it('passes ModelCallErrors through', () => {
    const e = new ModelCallError('x', { kind: 'client', retryable: false });
    expect(mapModelError(e)).toBe(e);
  });
});

describe('redact', () => {
  it('removes secrets and their URL-encoded forms, ignores tiny ones', () => {
    expect(redact('key sk-a/b+c and sk-a%2Fb%2Bc', ['sk-a/b+c'])).toBe('key [redacted] and [redacted]');
    expect(redact('abc', ['a'])).toBe('abc');
  });
});
