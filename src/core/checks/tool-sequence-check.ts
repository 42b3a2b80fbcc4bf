import type { CheckDefinition } from './check-definition.ts';
import { callNames, toolSteps, trajectoryOf } from './trajectory-of.ts';

/** Whether `expected` occurs in `names` in order, other calls allowed in between. */
export function isSubsequence(expected: readonly string[], names: readonly string[]): boolean {
  let i = 0;
  for (const n of names) if (n === expected[i]) i++;
  return i === expected.length;
}

/** `tool-sequence`: the tool calls follow `tools` — in order with others between, or exactly. */
export const toolSequenceCheck: CheckDefinition = {
  type: 'tool-sequence',
  keys: ['tools', 'mode', 'succeeded'],
  compile(spec) {
    const expected = spec.strings('tools');
    const mode = spec.oneOf('mode', ['in-order', 'exact'] as const, 'in-order');
    const succeeded = spec.boolean('succeeded', false);
    return (output) => {
      const steps = toolSteps(trajectoryOf(output, 'tool-sequence'), succeeded);
      const names = steps.map((s) => s.name ?? '');
      const pass =
        mode === 'exact'
          ? names.length === expected.length && names.every((n, i) => n === expected[i])
          : isSubsequence(expected, names);
      const want = expected.join(' → ');
      return {
        pass,
        reason: pass
          ? `calls ${mode === 'exact' ? 'are exactly' : 'follow'} ${want}`
          : `expected ${mode === 'exact' ? 'exactly' : 'in order'} ${want}; calls: ${callNames(steps)}`,
      };
    };
  },
};
