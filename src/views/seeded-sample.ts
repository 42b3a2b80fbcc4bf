/**
 * A seeded, order-independent sample of at most `size` items: each item's key is hashed with the seed and
 * the items with the smallest hashes are kept (bottom-k sampling). The same seed and keys give the same
 * sample whatever order the items arrive in, memory holds at most 2 × size items, and every item has the
 * same chance of being kept. `seen` counts every item offered.
 */
export class SeededSample<T> {
  private items: { h: number; key: string; item: T }[] = [];
  seen = 0;

  private readonly size: number;
  private readonly seed: number;

  constructor(size: number, seed: number) {
    this.size = size;
    this.seed = seed;
  }

  add(key: string, item: T | (() => T)): void {
    this.seen++;
    if (this.size <= 0) return;
    const h = hash32(key, this.seed);
    // Once full, an item hashing above the current k-th smallest can never be kept: skip building it.
    if (this.items.length >= this.size && h >= this.threshold) return;
    const value = typeof item === 'function' ? (item as () => T)() : item;
    this.items.push({ h, key, item: value });
    if (this.items.length >= 2 * this.size) this.compact();
  }

  /** The kept items, in ascending hash order (a stable, seed-determined order). */
  values(): T[] {
    this.compact();
    return this.items.map((x) => x.item);
  }

  private threshold = Number.POSITIVE_INFINITY;

  private compact(): void {
    this.items.sort((a, b) => a.h - b.h || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (this.items.length > this.size) this.items.length = this.size;
    if (this.items.length >= this.size)
      this.threshold = (this.items[this.items.length - 1] as { h: number }).h;
  }
}

/** FNV-1a over the UTF-16 code units, seeded, with a murmur3 finaliser for well-spread low bits. */
export function hash32(key: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
