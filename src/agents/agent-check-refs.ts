import type { CheckSpec } from '../core/types.ts';

const COMBINATORS = new Set(['all', 'any', 'weighted']);
const ARG_CHECKS = new Set(['tool-called', 'tool-not-called']);

/**
 * The project functions agent checks name — an `end-state` check's `fn`, a tool-called / tool-not-called
 * `args` with `match: custom` — nested combinators included, so the project loader imports them with the
 * custom checks (same rules: inside the project, a function export).
 */
export function agentCheckRefs(specs: readonly CheckSpec[]): string[] {
  const refs: string[] = [];
  const add = (ref: unknown) => {
    if (typeof ref === 'string' && ref.startsWith('file:') && !refs.includes(ref)) refs.push(ref);
  };
  const visit = (spec: unknown) => {
    if (typeof spec !== 'object' || spec === null) return;
    const s = spec as Record<string, unknown>;
    if (s.type === 'end-state') add(s.fn);
    if (typeof s.type === 'string' && ARG_CHECKS.has(s.type) && s.match === 'custom') add(s.args);
    if (typeof s.type === 'string' && COMBINATORS.has(s.type) && Array.isArray(s.checks))
      s.checks.forEach(visit);
  };
  specs.forEach(visit);
  return refs;
}
