import { describe, expect, it } from 'vitest';
import { SeededSample } from './seeded-sample.ts';

const keys = Array.from({ length: 1000 }, (_, i) => `case-${i}`);

function sample(order: string[], seed: number, size = 10): string[] {
  const s = new SeededSample<string>(size, seed);
  for (const k of order) s.add(k, k);
  return s.values();
}

describe('SeededSample', () => {
  it('keeps exactly size items and counts every item offered', () => {
    const s = new SeededSample<string>(10, 1);
    for (const k of keys) s.add(k, k);
    expect(s.values()).toHaveLength(10);
    expect(s.seen).toBe(1000);
  });

  it('is the same sample whatever the order, and a different one for another seed', () => {
    const a = sample(keys, 7);
    const b = sample([...keys].reverse(), 7);
    expect(b).toEqual(a);
    expect(sample(keys, 8)).not.toEqual(a);
  });

  it('keeps everything when there are fewer items than the size', () => {
    expect(sample(keys.slice(0, 3), 1).sort()).toEqual(['case-0', 'case-1', 'case-2']);
  });

  it('builds lazily given items only when they can be kept', () => {
    let built = 0;
    const s = new SeededSample<number>(5, 3);
    for (const k of keys)
      s.add(k, () => {
        built++;
        return 1;
      });
    expect(s.values()).toHaveLength(5);
    expect(built).toBeLessThan(200);
  });

  it('spreads roughly evenly: each half of the keys gets a fair share of a large sample', () => {
    const picked = sample(keys, 11, 200);
    const low = picked.filter((k) => Number(k.slice(5)) < 500).length;
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(130);
  });
});
