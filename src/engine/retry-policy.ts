import type { ErrorKind } from '../core/types.ts';
import { mapModelError } from '../models/map-model-error.ts';
import { ModelCallError } from '../models/model-port.ts';

/**
 * When and how long to wait before retrying a failed model call. Pure: the clock is not read here, and
 * the jitter comes from an injectable `random` (seeded by default), so tests can pin every delay.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = one attempt only). */
  maxRetries: number;
  /** First backoff ceiling, ms (default 500). */
  baseMs: number;
  /** Growth of the ceiling per retry (default 2). */
  factor: number;
  /** Largest backoff ceiling, ms (default 30 s). */
  capMs: number;
  /** Longest server-requested wait (Retry-After) the engine honours; longer → the call errors (default 120 s). */
  maxRetryAfterMs: number;
  /** Uniform in [0, 1). */
  random: () => number;
}

export interface RetryPolicyOptions {
  maxRetries: number;
  baseMs?: number;
  factor?: number;
  capMs?: number;
  maxRetryAfterMs?: number;
  random?: () => number;
  /** Seed of the default jitter source (ignored when `random` is given). */
  seed?: number;
}

export function createRetryPolicy(opts: RetryPolicyOptions): RetryPolicy {
  return {
    maxRetries: Math.max(0, Math.floor(opts.maxRetries)),
    baseMs: opts.baseMs ?? 500,
    factor: opts.factor ?? 2,
    capMs: opts.capMs ?? 30_000,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 120_000,
    random: opts.random ?? seededRandom(opts.seed ?? 0),
  };
}

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). Not for cryptography. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Full-jitter backoff before retry number `retry` (0-based): uniform in [0, min(cap, base · factor^retry)). */
export function backoffMs(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * policy.factor ** retry);
  return Math.floor(policy.random() * ceiling);
}

export interface CallErrorInfo {
  kind: ErrorKind;
  message: string;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; error: CallErrorInfo };

/** Any thrown value as a ModelCallError (adapters already throw those; anything else is classified here). */
export function toModelCallError(error: unknown): ModelCallError {
  if (error instanceof ModelCallError) return error;
  const mapped = mapModelError(error);
  if (mapped instanceof ModelCallError) return mapped;
  return new ModelCallError(mapped.message, { kind: 'client', retryable: false, cause: error });
}

/**
 * Whether to retry after `error`, given `retriesDone` retries so far. Only `retryable` errors are retried.
 * A server-requested wait (Retry-After) is honoured as max(retryAfter, backoff); one longer than
 * `maxRetryAfterMs` is not waited for: the call ends as an error saying so.
 */
export function decideRetry(error: unknown, retriesDone: number, policy: RetryPolicy): RetryDecision {
  const e = toModelCallError(error);
  const info: CallErrorInfo = { kind: e.kind, message: e.message };
  if (!e.retryable) return { retry: false, error: info };
  if (e.retryAfterMs !== undefined && e.retryAfterMs > policy.maxRetryAfterMs) {
    const secs = Math.round(e.retryAfterMs / 1000);
    return {
      retry: false,
      error: {
        kind: e.kind,
        message: `${e.message} (the server asked to wait ${secs} s before retrying, longer than the ${Math.round(policy.maxRetryAfterMs / 1000)} s Assay waits; lower the concurrency or resume the run later)`,
      },
    };
  }
  if (retriesDone >= policy.maxRetries) {
    const tries = retriesDone + 1;
    return {
      retry: false,
      error: { kind: e.kind, message: tries > 1 ? `${e.message} (after ${tries} attempts)` : e.message },
    };
  }
  const backoff = backoffMs(retriesDone, policy);
  return { retry: true, delayMs: Math.max(e.retryAfterMs ?? 0, backoff) };
}
