/** A change of a model's allowed calls in flight, for the end-of-run log. */
export interface ConcurrencyChange {
  /** Epoch ms. */
  at: number;
  /** `backoff`: halved after a 429; `recovered`: back at the configured maximum. */
  kind: 'backoff' | 'recovered';
  from: number;
  to: number;
}

/** What a slot holder passes back: the back-off epoch it started in (see `onRateLimited`). */
export interface Slot {
  readonly epoch: number;
}

/**
 * AIMD limit of calls in flight for one model: starts at `max`; a 429 halves it (min 1); every window
 * of `limit` successes grows it by one, up to `max`. Callers take a slot before each attempt and give it
 * back after; callers beyond the limit wait in arrival order. Pure apart from the waiters' promises: the
 * caller passes the time of each event.
 */
export class AdaptiveConcurrency {
  readonly max: number;
  private current: number;
  private active = 0;
  private successes = 0;
  private epoch = 0;
  private readonly waiters: { resolve: (slot: Slot | null) => void; signal?: AbortSignal }[] = [];
  readonly changes: ConcurrencyChange[] = [];

  constructor(max: number) {
    this.max = Math.max(1, Math.floor(max));
    this.current = this.max;
  }

  /** Calls allowed in flight now. */
  get limit(): number {
    return this.current;
  }

  /** Calls in flight now. */
  get inFlight(): number {
    return this.active;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** A slot at once, or null when the limit is reached (then `acquire` waits). */
  tryAcquire(): Slot | null {
    if (this.active >= this.current || this.waiters.length > 0) return null;
    this.active++;
    return { epoch: this.epoch };
  }

  /** Waits for a slot; null when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<Slot | null> {
    const now = this.tryAcquire();
    if (now) return Promise.resolve(now);
    if (signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter = {
        resolve: (slot: Slot | null) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        ...(signal ? { signal } : {}),
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(null);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Gives a slot back after an attempt: `ok` answered, `rate-limited` got a 429, `other` anything else. */
  release(slot: Slot, result: 'ok' | 'rate-limited' | 'other', now: number): void {
    this.active = Math.max(0, this.active - 1);
    if (result === 'ok') this.onSuccess(slot, now);
    else if (result === 'rate-limited') this.onRateLimited(slot, now);
    this.wake();
  }

  /**
   * Halves the limit, once per congestion: 429s of calls that started before the last back-off were
   * sent at the old rate and say nothing new.
   */
  private onRateLimited(slot: Slot, now: number): void {
    this.successes = 0;
    if (slot.epoch !== this.epoch) return;
    const to = Math.max(1, Math.floor(this.current / 2));
    this.epoch++;
    if (to === this.current) return;
    this.changes.push({ at: now, kind: 'backoff', from: this.current, to });
    this.current = to;
  }

  /** Only answers to calls sent at the current limit show that it holds. */
  private onSuccess(slot: Slot, now: number): void {
    if (this.current >= this.max || slot.epoch !== this.epoch) return;
    if (++this.successes < this.current) return;
    this.successes = 0;
    this.current++;
    if (this.current === this.max)
      this.changes.push({ at: now, kind: 'recovered', from: this.current - 1, to: this.current });
  }

  private wake(): void {
    while (this.waiters.length > 0 && this.active < this.current) {
      const w = this.waiters.shift();
      if (!w) break;
      this.active++;
      w.resolve({ epoch: this.epoch });
    }
  }
}
