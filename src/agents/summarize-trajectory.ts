import type { Trajectory } from '../core/types.ts';

/**
 * One line about a trajectory for failure listings: `3 model calls · lookup_order (error) → lookup_order
 * → refund · 1 tool error · ended: final-answer`. Tool names come from the model: escape before printing.
 */
export function summarizeTrajectory(t: Trajectory): string {
  const llm = t.steps.filter((s) => s.type === 'llm').length;
  const tools = t.steps.filter((s) => s.type === 'tool');
  const errors = tools.filter((s) => s.error !== undefined).length;
  const calls =
    tools.length === 0
      ? 'no tool calls'
      : tools.map((s) => `${s.name ?? '?'}${s.error !== undefined ? ' (error)' : ''}`).join(' → ');
  const parts = [`${llm} model call${llm === 1 ? '' : 's'}`, calls];
  if (errors > 0) parts.push(`${errors} tool error${errors === 1 ? '' : 's'}`);
  parts.push(`ended: ${t.termination}`);
  return parts.join(' · ');
}
