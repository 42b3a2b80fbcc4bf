import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.ts';

describe('RateLimiter', () => {
  it('without limits never waits', () => {
    const l = new RateLimiter({}, 0);
    expect(l.limited).toBe(false);
    for (let i = 0; i < 1000; i++) expect(l.reserve(10_000, 0)).toBe(0);
  });

  it('rpm: a burst of 100 ms worth goes at once, then callers are spaced at the rate, in arrival order', () => {
    const l = new RateLimiter({ rpm: 600 }, 0); // 10/s: 1 per 100 ms, burst 1
    expect(l.reserve(0, 0)).toBe(0);
    expect(l.reserve(0, 0)).toBe(100);
    expect(l.reserve(0, 0)).toBe(200);
    expect(l.reserve(0, 0)).toBe(300);
    // time passes: the queue drains at the rate
    expect(l.reserve(0, 250)).toBe(150);
  });

  it('rpm: four greedy callers, each sending after its wait and asking again, stay within the rate', () => {
    const rpm = 1200; // 20/s
    const l = new RateLimiter({ rpm }, 0);
    const next = [0, 0, 0, 0];
    const sends: number[] = [];
    while (Math.min(...next) < 70_000) {
      const i = next.indexOf(Math.min(...next));
      const t = next[i] as number;
      const at = t + l.reserve(0, t);
      sends.push(at);
      next[i] = at;
    }
    const within = (from: number, ms: number) => sends.filter((s) => s >= from && s < from + ms).length;
    // a minute: the rate plus the burst (2 calls); any second: 20 plus the burst
    expect(within(0, 60_000)).toBeLessThanOrEqual(rpm + 2);
    expect(within(0, 60_000)).toBeGreaterThanOrEqual(rpm - 1);
    for (const from of [0, 500, 10_000, 33_333]) expect(within(from, 1000)).toBeLessThanOrEqual(22);
    expect(within(10_000, 1000)).toBeGreaterThanOrEqual(19);
  });

  it('tpm: a call is charged its tokens; a big call delays the next by its size over the rate', () => {
    const l = new RateLimiter({ tpm: 60_000 }, 0); // 1 token per ms, burst 100
    expect(l.reserve(100, 0)).toBe(0);
    expect(l.reserve(1000, 0)).toBe(1000);
    expect(l.reserve(10, 0)).toBe(1010);
  });

  it('tpm: reported usage corrects the estimate both ways', () => {
    const over = new RateLimiter({ tpm: 60_000 }, 0);
    over.reserve(100, 0);
    over.correct(100, 600, 0); // the answer used 500 more than estimated
    expect(over.reserve(1, 0)).toBe(501);
    const under = new RateLimiter({ tpm: 60_000 }, 0);
    under.reserve(600, 0);
    under.correct(600, 100, 0); // 500 fewer: given back (else this would wait 600 ms)
    expect(under.reserve(100, 0)).toBe(100);
    // but never more than the burst is banked
    under.correct(0, -1_000_000, 0);
    expect(under.reserve(1000, 0)).toBe(900);
  });

  it('both limits: the longer wait wins', () => {
    const l = new RateLimiter({ rpm: 60_000, tpm: 6000 }, 0); // 1 request/ms; 0.1 token/ms, burst 10
    expect(l.reserve(10, 0)).toBe(0);
    expect(l.reserve(10, 0)).toBe(100);
  });
});
