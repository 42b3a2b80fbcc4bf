import type { DryRunEstimate } from '../engine/run-options.ts';
import { formatCost, formatCount, safeText } from './format.ts';

function price(cost: number | null): string {
  return cost === null ? 'price unknown' : `~${formatCost(cost, false)}`;
}

/** The `assay eval --dry-run` text: totals, a line per target model, a line per judge model, assumptions. */
export function renderDryRun(est: DryRunEstimate): string {
  const cost =
    est.cost === null ? 'unknown (a price is missing; see docs/models.md)' : formatCost(est.cost, false);
  const lines = [
    'dry run · nothing sent',
    `calls        ${est.calls} (${est.cachedCalls} already cached)`,
    `tokens       ~${formatCount(est.inputTokens)} in, ~${formatCount(est.outputTokens)} out`,
    `cost         ~${cost}`,
    ...est.perModel.map(
      (m) =>
        `  ${safeText(m.modelId, 60)}: ${m.calls} calls, ~${formatCount(m.inputTokens)}/${formatCount(m.outputTokens)} tokens, ${price(m.cost)}`,
    ),
    ...(est.judgeCalls ?? []).map(
      (j) =>
        `  judge calls ${safeText(j.modelId, 60)} (${j.judges.map((n) => safeText(n, 40)).join(', ')}): ${j.calls} calls${j.cachedCalls ? ` (${j.cachedCalls} cached)` : ''}, ~${formatCount(j.inputTokens)}/${formatCount(j.outputTokens)} tokens, ${price(j.cost)}`,
    ),
    ...est.assumptions.map((a) => `assumes: ${a}`),
  ];
  return lines.join('\n');
}
