import type { CheckDefinition } from './check-definition.ts';
import {
  argsMatcher,
  callNames,
  countBounds,
  describeBounds,
  matchingCalls,
  toolSteps,
  trajectoryOf,
} from './trajectory-of.ts';

/** `tool-called`: the agent called `tool` (with matching `args`) a number of times within `times`. */
export const toolCalledCheck: CheckDefinition = {
  type: 'tool-called',
  keys: ['tool', 'args', 'match', 'times', 'succeeded'],
  compile(spec) {
    const tool = spec.string('tool', 'the name of a tool');
    const matches = argsMatcher(spec);
    const bounds = countBounds(spec, 'times');
    const succeeded = spec.boolean('succeeded', false);
    const what = `${succeeded ? 'successful ' : ''}calls to ${tool}${matches ? ' with matching arguments' : ''}`;
    return async (output, testCase, ctx) => {
      const steps = toolSteps(trajectoryOf(output, 'tool-called'), succeeded);
      const named = steps.filter((s) => s.name === tool);
      const hits = await matchingCalls(named, matches, testCase, ctx);
      const pass = hits.length >= bounds.min && hits.length <= bounds.max;
      const seen =
        matches && named.length > hits.length
          ? `; arguments of the other ${tool} calls: ${named
              .filter((s) => !hits.includes(s))
              .slice(0, 3)
              .map((s) => JSON.stringify(s.args))
              .join(', ')}`
          : '';
      return {
        pass,
        reason: `${hits.length} ${what} (expected ${describeBounds(bounds)}); calls: ${callNames(steps)}${pass ? '' : seen}`,
        details: { count: hits.length, min: bounds.min, max: bounds.max },
      };
    };
  },
};
