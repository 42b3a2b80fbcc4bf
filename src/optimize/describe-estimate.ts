import type { OptimizeEstimate } from './experiment-log.ts';

const money = (x: number | null) => (x === null ? 'unknown' : `$${x.toFixed(4)}`);

/** The pre-flight estimate in one line, for the terminal before anything is sent and in the summary. */
export function describeEstimate(e: OptimizeEstimate): string {
  return `estimate: baseline ${e.devCalls} target call(s); per hypothesis ≤ ${e.perHypothesis.calls} call(s), ${e.perHypothesis.inputTokens} input + ${e.perHypothesis.outputTokens} output tokens, ${money(e.perHypothesis.cost)}; in all ≤ ${e.total.calls} call(s), ${money(e.total.cost)}${e.hypothesesAffordable !== null ? `; the cap affords ${e.hypothesesAffordable} hypothesis(es)` : ''}`;
}
