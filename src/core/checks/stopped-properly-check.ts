import type { CheckDefinition } from './check-definition.ts';
import { trajectoryOf } from './trajectory-of.ts';

/**
 * `stopped-properly`: the run ended with a final answer (not max-steps, max-errors or a loop), the answer
 * is not empty, and — with `goal: <tool>` — no tool was called after the goal tool first succeeded.
 */
export const stoppedProperlyCheck: CheckDefinition = {
  type: 'stopped-properly',
  keys: ['goal'],
  compile(spec) {
    const goal = spec.optionalString('goal', 'the name of the tool whose success reaches the goal');
    return (output) => {
      const t = trajectoryOf(output, 'stopped-properly');
      if (t.termination !== 'final-answer') {
        const llm = t.steps.filter((s) => s.type === 'llm').length;
        return {
          pass: false,
          reason: `ended by ${t.termination} after ${llm} model call${llm === 1 ? '' : 's'}, not a final answer`,
          details: { termination: t.termination },
        };
      }
      if (output.text.trim() === '') return { pass: false, reason: 'the final answer is empty' };
      if (goal !== undefined) {
        const reached = t.steps.findIndex(
          (s) => s.type === 'tool' && s.name === goal && s.error === undefined,
        );
        if (reached >= 0) {
          const after = t.steps.slice(reached + 1).filter((s) => s.type === 'tool');
          if (after.length > 0)
            return {
              pass: false,
              reason: `called ${after.map((s) => s.name).join(', ')} after the goal (${goal} succeeded)`,
              details: { afterGoal: after.map((s) => s.name) },
            };
          return { pass: true, reason: `final answer right after the goal (${goal} succeeded)` };
        }
        return { pass: true, reason: `final answer (the goal tool ${goal} never succeeded)` };
      }
      return { pass: true, reason: 'ended with a final answer' };
    };
  },
};
