import { describe, expect, it } from 'vitest';
import { trajectory } from '../../test/agents/trajectory-builder.ts';
import { summarizeTrajectory } from './summarize-trajectory.ts';

describe('summarizeTrajectory', () => {
  it('counts model calls, lists tool calls with errors and says how it ended', () => {
    expect(
      summarizeTrajectory(trajectory([['lookup_order', {}, 'timeout'], ['lookup_order'], ['refund']])),
    ).toBe(
      '4 model calls · lookup_order (error) → lookup_order → refund · 1 tool error · ended: final-answer',
    );
    expect(summarizeTrajectory(trajectory([['a']], { termination: 'loop' }))).toBe(
      '1 model call · a · ended: loop',
    );
    expect(summarizeTrajectory(trajectory([]))).toBe('1 model call · no tool calls · ended: final-answer');
  });
});
