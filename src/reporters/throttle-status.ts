import type { Progress } from '../engine/run-options.ts';

/**
 * The progress line's throttling part, e.g. "throttled: 429 ×3, concurrency 8/32, 5 waiting"; empty when
 * nothing is held back and no 429 was seen.
 */
export function throttleStatus(p: Progress): string {
  const parts: string[] = [];
  if (p.rateLimited) parts.push(`429 ×${p.rateLimited}`);
  const reduced = p.concurrency ?? [];
  if (reduced.length === 1) parts.push(`concurrency ${reduced[0]?.current}/${reduced[0]?.max}`);
  else if (reduced.length > 1)
    parts.push(`concurrency ${reduced.map((c) => `${c.modelId} ${c.current}/${c.max}`).join(', ')}`);
  if (p.throttled) parts.push(`${p.throttled} waiting`);
  return parts.length > 0 ? `throttled: ${parts.join(', ')}` : '';
}
