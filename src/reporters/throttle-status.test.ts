import { describe, expect, it } from 'vitest';
import type { Progress } from '../engine/run-options.ts';
import { throttleStatus } from './throttle-status.ts';

const base: Progress = {
  runId: 'r',
  planned: 10,
  done: 1,
  errors: 0,
  cached: 0,
  cost: 0,
  costUnknown: false,
  elapsedMs: 1,
  retries: 0,
};

describe('throttleStatus', () => {
  it('is empty when nothing is throttled', () => {
    expect(throttleStatus(base)).toBe('');
    expect(throttleStatus({ ...base, throttled: 0, rateLimited: 0 })).toBe('');
  });

  it('shows 429s and the reduced concurrency of one model', () => {
    expect(
      throttleStatus({
        ...base,
        rateLimited: 3,
        concurrency: [{ modelId: 'openai:gpt-4o-mini', current: 8, max: 32 }],
      }),
    ).toBe('throttled: 429 ×3, concurrency 8/32');
  });

  it('names the models when several are reduced, and counts calls waiting on a limit', () => {
    expect(
      throttleStatus({
        ...base,
        throttled: 5,
        concurrency: [
          { modelId: 'a:x', current: 4, max: 8 },
          { modelId: 'b:y', current: 1, max: 2 },
        ],
      }),
    ).toBe('throttled: concurrency a:x 4/8, b:y 1/2, 5 waiting');
  });
});
