/**
 * The one spending limit of a command. Every paid call (targets now; judges, attackers and proposers
 * later) reserves its estimated cost before it starts and commits the actual cost when it ends, so that
 * calls running at the same time cannot jointly overshoot the cap.
 *
 * A reservation is refused when spent + reserved + estimate would exceed the cap. A refused caller that
 * sees other reservations outstanding may wait for them to settle (`settled()`) and ask again: actual
 * costs are usually below their estimates.
 */
export interface BudgetTicket {
  readonly id: number;
  /** The reserved amount, USD. */
  readonly estimate: number;
}

export class Budget {
  /** USD; Infinity when there is no cap. */
  readonly cap: number;
  #spent: number;
  #reserved = 0;
  #open = new Map<number, BudgetTicket>();
  #nextId = 1;
  #unknown = false;
  #waiters: (() => void)[] = [];

  /** `spent`: what was spent before (e.g. by the run being resumed), counted against the cap. */
  constructor(opts: { cap?: number; spent?: number } = {}) {
    this.cap = opts.cap ?? Number.POSITIVE_INFINITY;
    this.#spent = opts.spent ?? 0;
  }

  /** Known spend so far, USD. */
  get spent(): number {
    return this.#spent;
  }

  /** Sum of outstanding reservations, USD. */
  get reserved(): number {
    return this.#reserved;
  }

  /** Number of outstanding reservations. */
  get outstanding(): number {
    return this.#open.size;
  }

  /** Whether some committed cost was unknown (price missing). */
  get costUnknown(): boolean {
    return this.#unknown;
  }

  get limited(): boolean {
    return Number.isFinite(this.cap);
  }

  /** Headroom left for new reservations, USD. */
  get remaining(): number {
    return this.cap - this.#spent - this.#reserved;
  }

  /** Reserves `estimate` USD, or returns null when that would take spent + reserved over the cap. */
  reserve(estimate: number): BudgetTicket | null {
    const amount = Number.isFinite(estimate) && estimate > 0 ? estimate : 0;
    // A tiny tolerance so that float sums landing exactly on the cap are allowed.
    if (this.#spent + this.#reserved + amount > this.cap + 1e-12) return null;
    const ticket: BudgetTicket = { id: this.#nextId++, estimate: amount };
    this.#open.set(ticket.id, ticket);
    this.#reserved += amount;
    return ticket;
  }

  /** Ends a reservation with what the call actually cost (null: unknown price, counted as 0 and flagged). */
  commit(ticket: BudgetTicket, actual: number | null): void {
    this.#settle(ticket);
    if (actual === null) this.#unknown = true;
    else if (Number.isFinite(actual) && actual > 0) this.#spent += actual;
  }

  /** Ends a reservation that spent nothing (cache hit, call not made, aborted before sending). */
  release(ticket: BudgetTicket): void {
    this.#settle(ticket);
  }

  /** Adds spend that had no reservation (e.g. a call made outside any cap). */
  record(actual: number | null): void {
    if (actual === null) this.#unknown = true;
    else if (Number.isFinite(actual) && actual > 0) this.#spent += actual;
  }

  /** Resolves at the next commit or release (immediately when nothing is outstanding or `signal` aborts). */
  settled(signal?: AbortSignal): Promise<void> {
    if (this.#open.size === 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      signal?.addEventListener('abort', done, { once: true });
      this.#waiters.push(done);
    });
  }

  #settle(ticket: BudgetTicket): void {
    if (!this.#open.delete(ticket.id)) return; // already settled: idempotent
    this.#reserved -= ticket.estimate;
    if (this.#open.size === 0) this.#reserved = 0; // no float drift once everything is settled
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
