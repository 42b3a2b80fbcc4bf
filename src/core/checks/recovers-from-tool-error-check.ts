import type { CheckDefinition } from './check-definition.ts';
import { callNames, toolSteps, trajectoryOf } from './trajectory-of.ts';

/**
 * `recovers-from-tool-error`: a tool error happened (of `tool`, when given), the run still ended with a
 * final answer, and after the last error of each failing tool a call of that same tool — or of one of
 * `alternatives` — succeeded. See docs/checks.md.
 */
export const recoversFromToolErrorCheck: CheckDefinition = {
  type: 'recovers-from-tool-error',
  keys: ['tool', 'alternatives'],
  compile(spec) {
    const only = spec.optionalString('tool', 'the name of the tool whose errors must be recovered from');
    const alternatives = spec.optionalStrings('alternatives') ?? [];
    return (output) => {
      const t = trajectoryOf(output, 'recovers-from-tool-error');
      const steps = toolSteps(t);
      const failing = [
        ...new Set(
          steps.filter((s) => s.error !== undefined && (!only || s.name === only)).map((s) => s.name ?? ''),
        ),
      ];
      if (failing.length === 0)
        return {
          pass: false,
          reason: `no ${only ? `${only} ` : ''}tool error happened, so recovery was not exercised; calls: ${callNames(steps)}`,
        };
      if (t.termination !== 'final-answer')
        return {
          pass: false,
          reason: `a tool error, then the run ended by ${t.termination}, not a final answer`,
        };
      const unrecovered = failing.filter((name) => {
        const lastError = steps.findLastIndex((s) => s.name === name && s.error !== undefined);
        return !steps
          .slice(lastError + 1)
          .some((s) => s.error === undefined && (s.name === name || alternatives.includes(s.name ?? '')));
      });
      if (unrecovered.length > 0)
        return {
          pass: false,
          reason: `no successful ${unrecovered.join(', ')}${alternatives.length ? ` (or ${alternatives.join(', ')})` : ''} after its last error; calls: ${callNames(steps)}`,
          details: { unrecovered },
        };
      return {
        pass: true,
        reason: `recovered from errors of ${failing.join(', ')}; calls: ${callNames(steps)}`,
      };
    };
  },
};
