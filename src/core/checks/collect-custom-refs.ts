import type { CheckSpec } from '../types.ts';

const COMBINATORS = new Set(['all', 'any', 'weighted']);

/**
 * Every custom check reference (`type: custom, ref: …` or `type: 'file:…'`) in the specs, nested
 * combinators included, deduplicated in order of appearance, so the loader can import them up front.
 * Malformed specs are skipped here; compileCheck reports them.
 */
export function collectCustomRefs(specs: readonly CheckSpec[]): string[] {
  const refs: string[] = [];
  const visit = (spec: unknown) => {
    if (typeof spec !== 'object' || spec === null) return;
    const s = spec as Record<string, unknown>;
    let ref: unknown;
    if (typeof s.type === 'string' && s.type.startsWith('file:')) ref = s.type;
    else if (s.type === 'custom') ref = s.ref;
    if (typeof ref === 'string' && !refs.includes(ref)) refs.push(ref);
    if (typeof s.type === 'string' && COMBINATORS.has(s.type) && Array.isArray(s.checks))
      s.checks.forEach(visit);
  };
  specs.forEach(visit);
  return refs;
}
