import { setTimeout as sleep } from 'node:timers/promises';
import type { Usage } from '../core/types.ts';
import { AdaptiveConcurrency, type ConcurrencyChange, type Slot } from './adaptive-concurrency.ts';
import type { RateGate } from './execute-call.ts';
import { RateLimiter, type RateLimits } from './rate-limiter.ts';

/** One attempt's permission to go out: give it back with `ModelThrottle.release`. */
export interface ThrottleTicket {
  slot: Slot;
  tokens: number;
}

/** How an attempt ended, as the throttle needs to know it. */
export type AttemptResult =
  | { kind: 'ok'; usage?: Usage }
  | { kind: 'rate-limited'; retryAfterMs?: number }
  | { kind: 'other' };

/** A model's throttling over a run, for the summary and `--json`. */
export interface ThrottleReport {
  modelId: string;
  /** 429 answers received. */
  rateLimited: number;
  /** Configured calls in flight. */
  max: number;
  /** Allowed calls in flight at the end. */
  final: number;
  changes: { at: string; kind: ConcurrencyChange['kind']; from: number; to: number }[];
  /** The back-off decisions in one line, e.g. "backed off to 8 after 429 at 12:01:03; recovered to 32". */
  log: string;
}

export interface ModelThrottleOptions extends RateLimits {
  modelId: string;
  /** Configured calls in flight (the AIMD maximum). */
  concurrency: number;
  /** Shared with the engine's retry loop; closed for a 429's Retry-After. */
  gate?: RateGate;
  /** Longest Retry-After that closes the gate (longer ones end the call as an error instead). */
  maxRetryAfterMs?: number;
  now?: () => number;
}

/**
 * Everything that holds back calls to one model, shared by the run's target calls and its checks' calls
 * to that model: the rate-limit gate (Retry-After), the rpm/tpm limiter and the adaptive limit of calls
 * in flight. Every attempt, retries included, takes a ticket first and gives it back after.
 */
export class ModelThrottle {
  readonly modelId: string;
  readonly gate: RateGate;
  readonly concurrency: AdaptiveConcurrency;
  private readonly limiter: RateLimiter;
  private readonly now: () => number;
  private readonly maxRetryAfterMs: number;
  private readonly tokenLimited: boolean;
  /** Attempts waiting on the gate or the rate limiter now (slot waits are counted by `concurrency`). */
  private pausing = 0;
  rateLimited = 0;

  constructor(o: ModelThrottleOptions) {
    this.modelId = o.modelId;
    this.gate = o.gate ?? { until: 0 };
    this.now = o.now ?? Date.now;
    this.concurrency = new AdaptiveConcurrency(o.concurrency);
    this.limiter = new RateLimiter(o, this.now());
    this.maxRetryAfterMs = o.maxRetryAfterMs ?? 120_000;
    this.tokenLimited = o.tpm !== undefined;
  }

  /** Whether a tokens-per-minute limit is set (else callers need not estimate tokens). */
  get countsTokens(): boolean {
    return this.tokenLimited;
  }

  /** Attempts held back now: waiting for a slot, the gate or the rate limit. */
  get throttled(): number {
    return this.pausing + this.concurrency.waiting;
  }

  /** Waits for a slot, the gate and the rate limit; null when `signal` aborts first. */
  async acquire(tokens: number, signal: AbortSignal): Promise<ThrottleTicket | null> {
    const slot = await this.concurrency.acquire(signal);
    if (!slot) return null;
    const ticket = { slot, tokens };
    let wait = this.gate.until - this.now();
    if (this.limiter.limited) wait = Math.max(wait, this.limiter.reserve(tokens, this.now()));
    // A gate closed while this attempt waited keeps it waiting.
    while (wait > 0) {
      this.pausing++;
      const ok = await pause(wait, signal);
      this.pausing--;
      if (!ok) {
        this.concurrency.release(slot, 'other', this.now());
        return null;
      }
      wait = this.gate.until - this.now();
    }
    return ticket;
  }

  release(ticket: ThrottleTicket, result: AttemptResult): void {
    const now = this.now();
    if (result.kind === 'rate-limited') {
      this.rateLimited++;
      if (result.retryAfterMs !== undefined && result.retryAfterMs <= this.maxRetryAfterMs)
        this.gate.until = Math.max(this.gate.until, now + result.retryAfterMs);
    } else if (result.kind === 'ok' && result.usage) {
      const u = result.usage;
      const actual = u.totalTokens ?? (u.inputTokens ?? 0) + (u.outputTokens ?? 0);
      if (actual > 0) this.limiter.correct(ticket.tokens, actual, now);
    }
    this.concurrency.release(ticket.slot, result.kind, now);
  }

  /** Null when nothing was throttled (no 429, no back-off). */
  report(): ThrottleReport | null {
    const changes = this.concurrency.changes;
    if (this.rateLimited === 0 && changes.length === 0) return null;
    return {
      modelId: this.modelId,
      rateLimited: this.rateLimited,
      max: this.concurrency.max,
      final: this.concurrency.limit,
      changes: changes.map((c) => ({ ...c, at: new Date(c.at).toISOString() })),
      log: backoffLog(this.modelId, this.rateLimited, changes, this.concurrency.limit, this.concurrency.max),
    };
  }
}

/** Back-offs named one by one in the log line; the rest are counted. */
const LOGGED_BACKOFFS = 6;

/**
 * "openai:x: 429 ×3; backed off to 16 after 429 at 12:01:03, to 8 at 12:01:04; recovered to 32 at
 * 12:01:30" (UTC). A back-off from a limit that had grown since the last one says from what.
 */
export function backoffLog(
  modelId: string,
  rateLimited: number,
  changes: readonly ConcurrencyChange[],
  final: number,
  max: number,
): string {
  const parts = [`${modelId}: 429 ×${rateLimited}`];
  let run: string[] = [];
  let previous = max;
  let logged = 0;
  let unlogged = 0;
  const flush = () => {
    if (unlogged > 0) run.push(`… ${unlogged} more`);
    if (run.length > 0) parts.push(`backed off ${run.join(', ')}`);
    run = [];
    unlogged = 0;
  };
  for (const c of changes) {
    if (c.kind === 'backoff') {
      if (logged++ >= LOGGED_BACKOFFS) unlogged++;
      else {
        const from = c.from === previous ? '' : ` (from ${c.from})`;
        run.push(`to ${c.to}${run.length === 0 ? ' after 429' : ''} at ${clock(c.at)}${from}`);
      }
    } else {
      flush();
      parts.push(`recovered to ${c.to} at ${clock(c.at)}`);
    }
    previous = c.to;
  }
  flush();
  if (final < max) parts.push(`ended at ${final}/${max}`);
  return parts.join('; ');
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
