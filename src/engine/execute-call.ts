import { setTimeout as sleep } from 'node:timers/promises';
import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
} from '../models/model-port.ts';
import type { ModelThrottle, ThrottleTicket } from './model-throttle.ts';
import { type CallErrorInfo, decideRetry, type RetryPolicy, toModelCallError } from './retry-policy.ts';

/** Shared by every call to one model: while `until` is in the future (a server's Retry-After), no attempt starts. */
export interface RateGate {
  until: number;
}

export interface CallContext {
  port: ModelPort;
  policy: RetryPolicy;
  /** Per attempt, ms. */
  timeoutMs: number;
  /** The run is stopping: start no new attempt, cut backoff and rate-limit waits short. */
  stop: AbortSignal;
  /** Abort the attempt in flight now (its result is discarded). */
  hard: AbortSignal;
  gate: RateGate;
  /**
   * The model's throttle (gate, rpm/tpm, adaptive calls in flight): when set, every attempt waits for a
   * ticket from it instead of only the gate, and reports how it ended. `tokens`: the call's estimate.
   */
  throttle?: ModelThrottle;
  tokens?: number;
  /** Called as each attempt is sent. */
  onAttempt?: () => void;
  /** Called before each retry with the error that caused it. */
  onRetry?: (error: ModelCallError) => void;
}

export type CallOutcome =
  | { kind: 'ok'; response: ModelResponse; attempts: number }
  | { kind: 'error'; error: CallErrorInfo; attempts: number }
  /** Stopped by the run's signal before an answer: nothing to record (it is redone on resume). */
  | { kind: 'aborted'; attempts: number };

/** Waits `ms` unless `signal` aborts first; resolves false when aborted. */
async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** The adapter's promise, or a rejection as soon as `signal` aborts (an adapter ignoring its signal cannot hang the run). */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * One model call with a per-attempt timeout and retries (exponential backoff with full jitter, honouring
 * Retry-After). Never throws: the outcome is an answer, an error to record, or "aborted".
 */
export async function executeCall(
  request: Omit<ModelRequest, 'signal'>,
  ctx: CallContext,
): Promise<CallOutcome> {
  let attempts = 0;
  for (let retries = 0; ; retries++) {
    let ticket: ThrottleTicket | null = null;
    if (ctx.throttle) {
      ticket = await ctx.throttle.acquire(ctx.tokens ?? 0, ctx.stop);
      if (!ticket || ctx.stop.aborted) {
        if (ticket) ctx.throttle.release(ticket, { kind: 'other' });
        return { kind: 'aborted', attempts };
      }
    } else {
      const gateWait = ctx.gate.until - Date.now();
      if (!(await wait(gateWait, ctx.stop)) || ctx.stop.aborted) return { kind: 'aborted', attempts };
    }
    attempts++;
    ctx.onAttempt?.();
    const attempt = await attemptOnce(request, ctx);
    if (ticket) ctx.throttle?.release(ticket, attemptResult(attempt));
    if (attempt.ok) return { kind: 'ok', response: attempt.response, attempts };
    if (attempt.aborted) return { kind: 'aborted', attempts };
    const decision = decideRetry(attempt.error, retries, ctx.policy);
    if (!decision.retry) return { kind: 'error', error: decision.error, attempts };
    // Stopping: a retryable failure is not recorded; resume makes the call again.
    if (ctx.stop.aborted) return { kind: 'aborted', attempts };
    const err = attempt.error;
    if (err.kind === 'rate-limit' && err.retryAfterMs !== undefined)
      ctx.gate.until = Math.max(ctx.gate.until, Date.now() + err.retryAfterMs);
    ctx.onRetry?.(err);
    if (!(await wait(decision.delayMs, ctx.stop))) return { kind: 'aborted', attempts };
  }
}

type Attempt = { ok: true; response: ModelResponse } | { ok: false; aborted: boolean; error: ModelCallError };

function attemptResult(a: Attempt) {
  if (a.ok) return { kind: 'ok' as const, ...(a.response.usage ? { usage: a.response.usage } : {}) };
  if (!a.aborted && a.error.kind === 'rate-limit')
    return {
      kind: 'rate-limited' as const,
      ...(a.error.retryAfterMs !== undefined ? { retryAfterMs: a.error.retryAfterMs } : {}),
    };
  return { kind: 'other' as const };
}

async function attemptOnce(request: Omit<ModelRequest, 'signal'>, ctx: CallContext): Promise<Attempt> {
  const { hard, timeoutMs, port } = ctx;
  const aborted = (): Attempt => ({
    ok: false,
    aborted: true,
    error: new ModelCallError('aborted', { kind: 'network', retryable: false }),
  });
  if (hard.aborted) return aborted();
  const controller = new AbortController();
  let timedOut = false;
  const onHard = () => controller.abort(hard.reason);
  hard.addEventListener('abort', onHard, { once: true });
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
  try {
    const response = await raceAbort(
      port.generate({ ...request, signal: controller.signal }),
      controller.signal,
    );
    return { ok: true, response };
  } catch (e) {
    if (hard.aborted && !timedOut) return aborted();
    if (timedOut)
      return {
        ok: false,
        aborted: false,
        error: new ModelCallError(`${port.id}: timed out after ${timeoutMs} ms`, {
          kind: 'timeout',
          retryable: true,
          cause: e,
        }),
      };
    if (e instanceof Error && e.name === 'AbortError')
      // An abort the engine did not ask for (a proxy, the adapter): retry it like a dropped connection.
      return {
        ok: false,
        aborted: false,
        error: new ModelCallError(`${port.id}: the call was aborted unexpectedly`, {
          kind: 'network',
          retryable: true,
          cause: e,
        }),
      };
    return { ok: false, aborted: false, error: toModelCallError(e) };
  } finally {
    clearTimeout(timer);
    hard.removeEventListener('abort', onHard);
  }
}
