/** A model's configured limits: requests and tokens per minute (either may be absent). */
export interface RateLimits {
  rpm?: number;
  tpm?: number;
}

/**
 * Share of a minute's allowance that may go out at once. Providers enforce per-minute limits over
 * shorter windows, so a full minute's burst would be refused: 100 ms worth keeps any one-second window
 * within 1.1 × the steady rate.
 */
const BURST_MS = 100;

/** One token bucket: `level` units, refilled at `perMs`, at most `capacity`; may go into debt (queued callers). */
class Bucket {
  private level: number;
  private last: number;
  private readonly perMs: number;
  private readonly capacity: number;
  constructor(perMs: number, capacity: number, now: number) {
    this.perMs = perMs;
    this.capacity = capacity;
    this.level = capacity;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.capacity, this.level + (now - this.last) * this.perMs);
      this.last = now;
    }
  }

  /** Takes `units` now and returns how long the taker must wait before its turn (0 = go). */
  take(units: number, now: number): number {
    this.refill(now);
    this.level -= units;
    return this.level >= 0 ? 0 : Math.ceil(-this.level / this.perMs);
  }

  /** Gives back (negative) or takes more (positive) units, once the real cost is known. */
  adjust(units: number, now: number): void {
    this.refill(now);
    this.level = Math.min(this.capacity, this.level - units);
  }
}

/**
 * Requests- and tokens-per-minute limits of one model, as token buckets. Pure: the caller passes the
 * time and does the waiting. Each `reserve` takes its share at once and is told how long to wait, so
 * callers are served in order of arrival and a burst of callers spreads out at the limit's rate.
 */
export class RateLimiter {
  private readonly requests?: Bucket;
  private readonly tokens?: Bucket;

  constructor(limits: RateLimits, now: number) {
    if (limits.rpm !== undefined) {
      const perMs = limits.rpm / 60_000;
      this.requests = new Bucket(perMs, Math.max(1, perMs * BURST_MS), now);
    }
    if (limits.tpm !== undefined) {
      const perMs = limits.tpm / 60_000;
      this.tokens = new Bucket(perMs, Math.max(1, perMs * BURST_MS), now);
    }
  }

  /** Whether any limit is set. */
  get limited(): boolean {
    return this.requests !== undefined || this.tokens !== undefined;
  }

  /** Reserves one request of about `tokens` tokens; returns the ms to wait before sending it. */
  reserve(tokens: number, now: number): number {
    const a = this.requests ? this.requests.take(1, now) : 0;
    const b = this.tokens ? this.tokens.take(Math.max(0, tokens), now) : 0;
    return Math.max(a, b);
  }

  /**
   * The answer reported its usage: correct the token estimate the reservation was made with (a larger
   * real count delays later calls, a smaller one lets them go sooner).
   */
  correct(estimatedTokens: number, actualTokens: number, now: number): void {
    if (this.tokens && Number.isFinite(actualTokens)) this.tokens.adjust(actualTokens - estimatedTokens, now);
  }
}
