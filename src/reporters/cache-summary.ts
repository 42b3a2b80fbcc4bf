import type { CallCounts } from '../engine/run-options.ts';

/**
 * What the cache saved in a run, in one line: "412 of 500 calls answered from the cache: only prompt
 * support@3f2a… changed". A prompt version whose calls were all sent is named as changed; one with some
 * sent (new cases, repeats) gets its count. Undefined when nothing came from the cache (a first run).
 */
export function cacheSummary(calls: readonly CallCounts[]): string | undefined {
  const byPrompt = new Map<string, { label: string; cached: number; fresh: number }>();
  let cached = 0;
  let total = 0;
  for (const c of calls) {
    const key = `${c.prompt}\u0000${c.promptVersion}`;
    let p = byPrompt.get(key);
    if (!p) {
      p = { label: `${c.prompt}@${c.promptVersion.slice(0, 4)}…`, cached: 0, fresh: 0 };
      byPrompt.set(key, p);
    }
    p.cached += c.cached;
    p.fresh += c.fresh;
    cached += c.cached;
    total += c.cached + c.fresh;
  }
  if (cached === 0) return undefined;
  const head = `${cached} of ${total} calls answered from the cache`;
  if (cached === total) return `${head}: nothing changed`;
  const prompts = [...byPrompt.values()];
  const changed = prompts.filter((p) => p.cached === 0 && p.fresh > 0).map((p) => p.label);
  const partial = prompts.filter((p) => p.cached > 0 && p.fresh > 0);
  const parts: string[] = [];
  if (changed.length > 0) {
    const only = partial.length === 0 ? 'only ' : '';
    parts.push(`${only}prompt${changed.length > 1 ? 's' : ''} ${changed.join(', ')} changed`);
  }
  for (const p of partial) parts.push(`${p.fresh} new call${p.fresh === 1 ? '' : 's'} for prompt ${p.label}`);
  return `${head}: ${parts.join('; ')}`;
}
