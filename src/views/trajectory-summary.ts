import type { Termination, Trajectory } from '../core/types.ts';

/** One step of a trajectory as a report shows it: short, plain text (renderers escape it). */
export interface TrajectoryLine {
  type: 'llm' | 'tool' | 'user';
  turn: number;
  /** llm: the tool calls asked for (`lookup_order({"id":"A1"})`) or the reply; tool: `name(args) → result`. */
  text: string;
  error?: string;
  cached?: boolean;
}

export interface TrajectorySummary {
  termination: Termination;
  llmSteps: number;
  toolCalls: number;
  toolErrors: number;
  turns: number;
  lines: TrajectoryLine[];
  /** Steps left out beyond the cap. */
  omitted: number;
}

const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const json = (v: unknown): string => {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/**
 * A trajectory cut down for a report: counts, how it ended, and its steps as one line each (at most
 * `maxLines`, each at most `maxChars`), so a report stays small whatever the agent did.
 */
export function summarizeTrajectory(t: Trajectory, maxLines = 40, maxChars = 300): TrajectorySummary {
  let llmSteps = 0;
  let toolCalls = 0;
  let toolErrors = 0;
  let turns = 0;
  const lines: TrajectoryLine[] = [];
  for (const s of t.steps) {
    turns = Math.max(turns, s.turn + 1);
    if (s.type === 'llm') llmSteps++;
    if (s.type === 'tool') {
      toolCalls++;
      if (s.error !== undefined) toolErrors++;
    }
    if (lines.length >= maxLines) continue;
    let text: string;
    if (s.type === 'tool')
      text = `${s.name ?? '?'}(${json(s.args ?? {})}) → ${s.error !== undefined ? 'error' : (s.text ?? '')}`;
    else if (s.type === 'llm' && s.toolCalls && s.toolCalls.length > 0)
      text = `calls ${s.toolCalls.map((c) => `${c.name}(${json(c.arguments)})`).join(', ')}${s.text ? ` · ${s.text}` : ''}`;
    else text = s.text ?? '';
    lines.push({
      type: s.type,
      turn: s.turn,
      text: clip(text, maxChars),
      ...(s.error !== undefined ? { error: clip(s.error, maxChars) } : {}),
      ...(s.cached !== undefined ? { cached: s.cached } : {}),
    });
  }
  return {
    termination: t.termination,
    llmSteps,
    toolCalls,
    toolErrors,
    turns,
    lines,
    omitted: t.steps.length - lines.length,
  };
}
