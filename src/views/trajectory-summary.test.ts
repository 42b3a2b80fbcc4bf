import { describe, expect, it } from 'vitest';
import type { Trajectory } from '../core/types.ts';
import { summarizeTrajectory } from './trajectory-summary.ts';

const agent: Trajectory = {
  termination: 'final-answer',
  messages: [],
  steps: [
    { type: 'llm', turn: 0, toolCalls: [{ id: 'c1', name: 'lookup_order', arguments: { id: 'A1' } }] },
    { type: 'tool', turn: 0, name: 'lookup_order', args: { id: 'A1' }, error: 'timeout' },
    { type: 'llm', turn: 0, toolCalls: [{ id: 'c2', name: 'lookup_order', arguments: { id: 'A1' } }] },
    { type: 'tool', turn: 0, name: 'lookup_order', args: { id: 'A1' }, text: '{"days":12}' },
    { type: 'llm', turn: 0, text: 'Refunded.', cached: true },
  ],
};

describe('summarizeTrajectory', () => {
  it('counts steps, tool calls and errors, one line per step', () => {
    const s = summarizeTrajectory(agent);
    expect([s.llmSteps, s.toolCalls, s.toolErrors, s.turns, s.omitted]).toEqual([3, 2, 1, 1, 0]);
    expect(s.lines.map((l) => l.text)).toEqual([
      'calls lookup_order({"id":"A1"})',
      'lookup_order({"id":"A1"}) → error',
      'calls lookup_order({"id":"A1"})',
      'lookup_order({"id":"A1"}) → {"days":12}',
      'Refunded.',
    ]);
    expect(s.lines[1]?.error).toBe('timeout');
    expect(s.lines[4]?.cached).toBe(true);
  });

  it('caps the lines and their length', () => {
    const long: Trajectory = {
      termination: 'max-steps',
      messages: [],
      steps: Array.from({ length: 50 }, (_, i) => ({ type: 'llm' as const, turn: i, text: 'x'.repeat(500) })),
    };
    const s = summarizeTrajectory(long, 10, 20);
    expect(s.lines).toHaveLength(10);
    expect(s.omitted).toBe(40);
    expect(s.turns).toBe(50);
    expect(s.lines[0]?.text).toHaveLength(20);
  });
});
