import { describe, expect, it } from 'vitest';
import type { ConcurrencyChange } from './adaptive-concurrency.ts';
import { backoffLog, ModelThrottle } from './model-throttle.ts';

const at = (hms: string) => Date.parse(`2026-01-01T${hms}Z`);
const off = (from: number, to: number, hms: string): ConcurrencyChange => ({
  at: at(hms),
  kind: 'backoff',
  from,
  to,
});

describe('backoffLog', () => {
  it('one line: back-offs, recovery, times in UTC', () => {
    expect(
      backoffLog(
        'openai:gpt-4o-mini',
        3,
        [
          off(32, 16, '12:01:03'),
          off(16, 8, '12:01:04'),
          { at: at('12:01:30'), kind: 'recovered', from: 31, to: 32 },
        ],
        32,
        32,
      ),
    ).toBe(
      'openai:gpt-4o-mini: 429 ×3; backed off to 16 after 429 at 12:01:03, to 8 at 12:01:04; recovered to 32 at 12:01:30',
    );
  });

  it('says from what when the limit had grown in between, counts the back-offs past six, and where it ended', () => {
    const changes = [off(32, 16, '10:00:00'), off(20, 10, '10:00:05')];
    for (let i = 0; i < 6; i++) changes.push(off(10, 5, '10:00:06'));
    expect(backoffLog('m:x', 9, changes, 5, 32)).toBe(
      'm:x: 429 ×9; backed off to 16 after 429 at 10:00:00, to 10 at 10:00:05 (from 20), to 5 at 10:00:06, to 5 at 10:00:06 (from 10), to 5 at 10:00:06 (from 10), to 5 at 10:00:06 (from 10), … 2 more; ended at 5/32',
    );
  });
});

describe('ModelThrottle', () => {
  it('a 429 with Retry-After closes the gate for every caller, and halves the calls in flight', async () => {
    const t = new ModelThrottle({ modelId: 'm:x', concurrency: 4 });
    const signal = new AbortController().signal;
    const a = await t.acquire(0, signal);
    if (!a) throw new Error('no ticket');
    const before = Date.now();
    t.release(a, { kind: 'rate-limited', retryAfterMs: 40 });
    expect(t.gate.until).toBeGreaterThanOrEqual(before + 40);
    expect(t.concurrency.limit).toBe(2);
    expect(t.rateLimited).toBe(1);
    // the next caller waits until the gate opens
    const b = await t.acquire(0, signal);
    expect(b).not.toBeNull();
    expect(Date.now()).toBeGreaterThanOrEqual(t.gate.until);
    expect(t.report()?.log).toMatch(
      /^m:x: 429 ×1; backed off to 2 after 429 at \d\d:\d\d:\d\d; ended at 2\/4$/,
    );
  });

  it('a Retry-After longer than the longest honoured does not close the gate', async () => {
    const t = new ModelThrottle({ modelId: 'm:x', concurrency: 2, maxRetryAfterMs: 1000 });
    const ticket = await t.acquire(0, new AbortController().signal);
    if (!ticket) throw new Error('no ticket');
    t.release(ticket, { kind: 'rate-limited', retryAfterMs: 600_000 });
    expect(t.gate.until).toBe(0);
  });

  it('a stop while waiting gives the slot back', async () => {
    const t = new ModelThrottle({ modelId: 'm:x', concurrency: 1, rpm: 60 }); // one a second, burst 1
    const ac = new AbortController();
    const first = await t.acquire(0, ac.signal);
    expect(first).not.toBeNull();
    if (first) t.release(first, { kind: 'ok' });
    const second = t.acquire(0, ac.signal); // waits ~1 s for the rate limit
    await new Promise((r) => setTimeout(r, 10));
    expect(t.throttled).toBe(1);
    ac.abort();
    expect(await second).toBeNull();
    expect(t.throttled).toBe(0);
    expect(t.concurrency.inFlight).toBe(0);
    expect(t.report()).toBeNull();
  });
});
