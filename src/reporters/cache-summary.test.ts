import { describe, expect, it } from 'vitest';
import { cacheSummary } from './cache-summary.ts';

const c = (prompt: string, promptVersion: string, modelId: string, cached: number, fresh: number) => ({
  prompt,
  promptVersion,
  modelId,
  cached,
  fresh,
});

describe('cacheSummary', () => {
  it('says nothing on a first run (no call from the cache)', () => {
    expect(cacheSummary([c('a', 'aaaa1111', 'm', 0, 10)])).toBeUndefined();
    expect(cacheSummary([])).toBeUndefined();
  });

  it('names the one prompt that changed, over every model', () => {
    expect(
      cacheSummary([
        c('billing', 'b0b0b0b0', 'm1', 206, 0),
        c('billing', 'b0b0b0b0', 'm2', 206, 0),
        c('support', '3f2a9c0d', 'm1', 0, 44),
        c('support', '3f2a9c0d', 'm2', 0, 44),
      ]),
    ).toBe('412 of 500 calls answered from the cache: only prompt support@3f2a… changed');
  });

  it('counts new calls of a prompt that was partly cached (new cases), and says when nothing changed', () => {
    expect(cacheSummary([c('a', 'aaaa1111', 'm', 8, 2), c('b', 'bbbb2222', 'm', 0, 10)])).toBe(
      '8 of 20 calls answered from the cache: prompt b@bbbb… changed; 2 new calls for prompt a@aaaa…',
    );
    expect(cacheSummary([c('a', 'aaaa1111', 'm', 10, 0)])).toBe(
      '10 of 10 calls answered from the cache: nothing changed',
    );
  });
});
