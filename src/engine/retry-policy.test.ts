import { describe, expect, it } from 'vitest';
import { ModelCallError } from '../models/model-port.ts';
import { backoffMs, createRetryPolicy, decideRetry, seededRandom } from './retry-policy.ts';

const err = (opts: ConstructorParameters<typeof ModelCallError>[1]) => new ModelCallError('boom', opts);

describe('backoffMs', () => {
  it('is full jitter under an exponential ceiling capped at capMs', () => {
    const top = createRetryPolicy({ maxRetries: 9, random: () => 0.999999 });
    expect([0, 1, 2, 3].map((n) => backoffMs(n, top))).toEqual([499, 999, 1999, 3999]);
    expect(backoffMs(10, top)).toBe(29_999); // 500 · 2^10 > 30 s cap
    const bottom = createRetryPolicy({ maxRetries: 9, random: () => 0 });
    expect(backoffMs(5, bottom)).toBe(0);
    const half = createRetryPolicy({ maxRetries: 9, random: () => 0.5, baseMs: 100, factor: 3, capMs: 1000 });
    expect([0, 1, 2, 3].map((n) => backoffMs(n, half))).toEqual([50, 150, 450, 500]);
  });

  it('the default jitter is seeded: same seed, same delays; within [0, ceiling)', () => {
    const a = createRetryPolicy({ maxRetries: 3, seed: 7 });
    const b = createRetryPolicy({ maxRetries: 3, seed: 7 });
    const da = Array.from({ length: 20 }, (_, i) => backoffMs(i % 6, a));
    expect(da).toEqual(Array.from({ length: 20 }, (_, i) => backoffMs(i % 6, b)));
    da.forEach((d, i) => {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(Math.min(30_000, 500 * 2 ** (i % 6)));
    });
  });

  it('seededRandom is uniform-ish in [0, 1)', () => {
    const r = seededRandom(1);
    const xs = Array.from({ length: 10_000 }, r);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});

describe('decideRetry', () => {
  const policy = createRetryPolicy({ maxRetries: 2, random: () => 0.5 });

  it('retries retryable errors up to maxRetries, then reports the error with the attempt count', () => {
    const e = err({ kind: 'server', retryable: true, status: 500 });
    expect(decideRetry(e, 0, policy)).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry(e, 1, policy)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry(e, 2, policy)).toEqual({
      retry: false,
      error: { kind: 'server', message: 'boom (after 3 attempts)' },
    });
  });

  it('never retries a non-retryable error', () => {
    expect(decideRetry(err({ kind: 'client', retryable: false, status: 400 }), 0, policy)).toEqual({
      retry: false,
      error: { kind: 'client', message: 'boom' },
    });
  });

  it('maxRetries 0 means one attempt', () => {
    const once = createRetryPolicy({ maxRetries: 0 });
    expect(decideRetry(err({ kind: 'timeout', retryable: true }), 0, once)).toMatchObject({ retry: false });
  });

  it('honours Retry-After as max(retryAfter, backoff)', () => {
    const e = err({ kind: 'rate-limit', retryable: true, status: 429, retryAfterMs: 2000 });
    expect(decideRetry(e, 0, policy)).toEqual({ retry: true, delayMs: 2000 });
    const short = err({ kind: 'rate-limit', retryable: true, status: 429, retryAfterMs: 10 });
    expect(decideRetry(short, 1, policy)).toEqual({ retry: true, delayMs: 500 });
  });

  it('a Retry-After beyond the limit is not waited for: an error that says why', () => {
    const e = err({ kind: 'rate-limit', retryable: true, status: 429, retryAfterMs: 600_000 });
    const d = decideRetry(e, 0, policy);
    expect(d.retry).toBe(false);
    if (!d.retry) {
      expect(d.error.kind).toBe('rate-limit');
      expect(d.error.message).toMatch(/asked to wait 600 s.*longer than the 120 s/);
    }
  });

  it('classifies errors that are not ModelCallErrors', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(decideRetry(reset, 0, policy)).toMatchObject({ retry: true });
    expect(decideRetry(new SyntaxError('Unexpected end of JSON input'), 0, policy)).toMatchObject({
      retry: true,
    });
    expect(decideRetry(new TypeError('x is not a function'), 0, policy)).toMatchObject({
      retry: false,
      error: { kind: 'client' },
    });
  });
});
