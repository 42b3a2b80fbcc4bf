import { describe, expect, it } from 'vitest';
import { Budget } from './budget.ts';

describe('Budget', () => {
  it('without a cap every reservation succeeds and spend adds up', () => {
    const b = new Budget();
    expect(b.limited).toBe(false);
    const t = b.reserve(1e9);
    expect(t).not.toBeNull();
    if (t) b.commit(t, 0.5);
    b.record(0.25);
    expect(b.spent).toBe(0.75);
    expect(b.reserved).toBe(0);
  });

  it('refuses a reservation that would take spent + reserved over the cap', () => {
    const b = new Budget({ cap: 1 });
    const a = b.reserve(0.4);
    const c = b.reserve(0.4);
    expect(a && c).toBeTruthy();
    expect(b.reserve(0.3)).toBeNull();
    expect(b.reserve(0.2)).not.toBeNull(); // exactly at the cap is allowed
    expect(b.remaining).toBeCloseTo(0);
  });

  it('commit replaces the estimate with the actual cost; release frees it', () => {
    const b = new Budget({ cap: 1 });
    const a = b.reserve(0.6);
    if (!a) throw new Error('reserve');
    expect(b.reserve(0.6)).toBeNull();
    b.commit(a, 0.1);
    expect(b.spent).toBeCloseTo(0.1);
    expect(b.reserved).toBe(0);
    const c = b.reserve(0.6);
    if (!c) throw new Error('reserve');
    b.release(c);
    expect(b.spent).toBeCloseTo(0.1);
    b.release(c); // idempotent
    expect(b.reserved).toBe(0);
  });

  it('counts spend from before (a resumed run) against the cap', () => {
    const b = new Budget({ cap: 1, spent: 0.95 });
    expect(b.reserve(0.1)).toBeNull();
    expect(b.reserve(0.05)).not.toBeNull();
  });

  it('a null actual cost is flagged as unknown and adds nothing', () => {
    const b = new Budget({ cap: 1 });
    const t = b.reserve(0.1);
    if (!t) throw new Error('reserve');
    b.commit(t, null);
    expect(b.costUnknown).toBe(true);
    expect(b.spent).toBe(0);
  });

  it('settled() resolves at the next commit or release, at once when nothing is outstanding or on abort', async () => {
    const b = new Budget({ cap: 1 });
    await b.settled(); // nothing outstanding
    const t = b.reserve(0.5);
    if (!t) throw new Error('reserve');
    let woke = false;
    const p = b.settled().then(() => {
      woke = true;
    });
    await Promise.resolve();
    expect(woke).toBe(false);
    b.commit(t, 0.2);
    await p;
    expect(woke).toBe(true);
    const u = b.reserve(0.1);
    expect(u).not.toBeNull();
    const ac = new AbortController();
    const q = b.settled(ac.signal);
    ac.abort();
    await q;
  });

  it('ignores negative or non-finite estimates and costs', () => {
    const b = new Budget({ cap: 1 });
    const t = b.reserve(Number.NaN);
    expect(t?.estimate).toBe(0);
    if (t) b.commit(t, -5);
    expect(b.spent).toBe(0);
  });
});
