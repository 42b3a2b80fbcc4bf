import type { CheckOutput } from '../types.ts';

/** One assistant reply of a conversation, shaped as the output a check judges. */
export interface AssistantTurn {
  /** 0-based, as TrajectoryStep.turn. */
  turn: number;
  output: CheckOutput;
}

/**
 * The assistant's replies, one per turn (the last model step of each turn; failed steps skipped). An
 * output without a trajectory is a single reply: turn 0.
 */
export function assistantTurns(output: CheckOutput): AssistantTurn[] {
  const steps = output.trajectory?.steps;
  if (!steps) return [{ turn: 0, output }];
  const byTurn = new Map<number, AssistantTurn>();
  for (const s of steps) {
    if (s.type !== 'llm' || s.error !== undefined) continue;
    byTurn.set(s.turn, {
      turn: s.turn,
      output: {
        text: s.text ?? '',
        toolCalls: s.toolCalls ?? [],
        latencyMs: s.latencyMs ?? 0,
        usage: s.usage ?? {},
        cost: s.cost ?? null,
      },
    });
  }
  return [...byTurn.values()].sort((a, b) => a.turn - b.turn);
}
