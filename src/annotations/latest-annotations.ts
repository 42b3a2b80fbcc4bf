import type { Annotation } from './annotation.ts';

/**
 * The judgments in force: the latest line per (key, annotator) wins — by file order, so an annotator who
 * changes their mind appends a new line. A withdrawn judgment (latest line `retracted`) is dropped.
 * Returned in the order each (key, annotator) first appeared.
 */
export function latestAnnotations(lines: readonly Annotation[]): Annotation[] {
  const latest = new Map<string, Annotation>();
  for (const a of lines) latest.set(JSON.stringify([a.key, a.annotator]), a);
  return [...latest.values()].filter((a) => !a.retracted);
}
