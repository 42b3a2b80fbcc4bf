import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, type Slot } from './adaptive-concurrency.ts';

function take(c: AdaptiveConcurrency, n: number): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < n; i++) {
    const s = c.tryAcquire();
    if (!s) throw new Error(`no slot ${i}`);
    slots.push(s);
  }
  return slots;
}

describe('AdaptiveConcurrency', () => {
  it('starts at the maximum and refuses slots beyond it', () => {
    const c = new AdaptiveConcurrency(4);
    take(c, 4);
    expect(c.tryAcquire()).toBeNull();
    expect(c.inFlight).toBe(4);
  });

  it('a 429 halves the limit once per congestion; 429s of calls sent before the back-off do not halve again', () => {
    const c = new AdaptiveConcurrency(32);
    const slots = take(c, 32);
    c.release(slots[0] as Slot, 'rate-limited', 1000);
    expect(c.limit).toBe(16);
    for (const s of slots.slice(1, 10)) c.release(s, 'rate-limited', 1001);
    expect(c.limit).toBe(16);
    expect(c.changes).toEqual([{ at: 1000, kind: 'backoff', from: 32, to: 16 }]);
  });

  it('repeated congestion halves down to 1, never below', () => {
    const c = new AdaptiveConcurrency(8);
    for (let i = 0; i < 6; i++) {
      const [s] = take(c, 1);
      c.release(s as Slot, 'rate-limited', i);
    }
    expect(c.limit).toBe(1);
    expect(c.changes.map((x) => x.to)).toEqual([4, 2, 1]);
  });

  it('each window of `limit` successes grows the limit by one, up to the maximum, logged when recovered', () => {
    const c = new AdaptiveConcurrency(4);
    const [s] = take(c, 1);
    c.release(s as Slot, 'rate-limited', 0);
    expect(c.limit).toBe(2);
    const ok = (n: number) => {
      for (let i = 0; i < n; i++) {
        const [x] = take(c, 1);
        c.release(x as Slot, 'ok', 10);
      }
    };
    ok(1);
    expect(c.limit).toBe(2);
    ok(1);
    expect(c.limit).toBe(3);
    ok(2);
    expect(c.limit).toBe(3);
    ok(1);
    expect(c.limit).toBe(4);
    ok(100);
    expect(c.limit).toBe(4);
    expect(c.changes.at(-1)).toEqual({ at: 10, kind: 'recovered', from: 3, to: 4 });
  });

  it('other errors neither shrink nor grow it', () => {
    const c = new AdaptiveConcurrency(4);
    const [s] = take(c, 1);
    c.release(s as Slot, 'rate-limited', 0);
    for (let i = 0; i < 10; i++) {
      const [x] = take(c, 1);
      c.release(x as Slot, 'other', 0);
    }
    expect(c.limit).toBe(2);
  });

  it('waiters beyond the limit get slots in arrival order as slots come back, not above the reduced limit', async () => {
    const c = new AdaptiveConcurrency(4);
    const slots = take(c, 4);
    const order: number[] = [];
    const waits = [0, 1, 2].map((i) =>
      c.acquire().then((s) => {
        order.push(i);
        return s;
      }),
    );
    expect(c.waiting).toBe(3);
    c.release(slots[0] as Slot, 'rate-limited', 0); // limit 2, still 3 in flight
    c.release(slots[1] as Slot, 'ok', 0); // 2 in flight: nobody may start
    await Promise.resolve();
    expect(order).toEqual([]);
    c.release(slots[2] as Slot, 'ok', 0); // 1 in flight: one may start
    await Promise.resolve();
    expect(order).toEqual([0]);
    c.release(slots[3] as Slot, 'ok', 0);
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(c.inFlight).toBe(2);
    const got = await Promise.all(waits.slice(0, 2));
    expect(got.every((s) => s !== null)).toBe(true);
  });

  it('an aborted waiter leaves the queue with null', async () => {
    const c = new AdaptiveConcurrency(1);
    const [s] = take(c, 1);
    const ac = new AbortController();
    const w = c.acquire(ac.signal);
    ac.abort();
    expect(await w).toBeNull();
    expect(c.waiting).toBe(0);
    c.release(s as Slot, 'ok', 0);
    expect(c.inFlight).toBe(0);
  });
});
