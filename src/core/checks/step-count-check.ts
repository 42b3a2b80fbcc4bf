import type { CheckDefinition } from './check-definition.ts';
import { describeBounds, trajectoryOf } from './trajectory-of.ts';

/** `step-count`: the number of model calls (`of: llm`, default) or tool calls (`of: tool`) is within bounds. */
export const stepCountCheck: CheckDefinition = {
  type: 'step-count',
  keys: ['min', 'max', 'of'],
  compile(spec) {
    const of = spec.oneOf('of', ['llm', 'tool'] as const, 'llm');
    const min = spec.optionalNumber('min', { min: 0, integer: true }) ?? 0;
    const max = spec.optionalNumber('max', { min: 0, integer: true }) ?? Number.POSITIVE_INFINITY;
    if (!spec.has('min') && !spec.has('max'))
      spec.fail(
        undefined,
        "step-count needs 'min' and/or 'max'",
        'e.g. { max: 4 } or { min: 2, max: 6, of: tool }',
      );
    if (min > max) spec.fail('min', `min ${min} is above max ${max}`, 'min ≤ max');
    const noun = of === 'llm' ? 'model calls' : 'tool calls';
    return (output) => {
      const t = trajectoryOf(output, 'step-count');
      const n = t.steps.filter((s) => s.type === of).length;
      const pass = n >= min && n <= max;
      return {
        pass,
        reason: `${n} ${noun} (expected ${describeBounds({ min, max })})`,
        details: { count: n },
      };
    };
  },
};
