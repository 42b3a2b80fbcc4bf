import type { CheckDefinition } from './check-definition.ts';
import { argsMatcher, callNames, matchingCalls, toolSteps, trajectoryOf } from './trajectory-of.ts';

/** `tool-not-called`: the agent never called any of `tool` (with matching `args`, when given). */
export const toolNotCalledCheck: CheckDefinition = {
  type: 'tool-not-called',
  keys: ['tool', 'args', 'match', 'succeeded'],
  compile(spec) {
    const tools = spec.strings('tool');
    const matches = argsMatcher(spec);
    const succeeded = spec.boolean('succeeded', false);
    return async (output, testCase, ctx) => {
      const steps = toolSteps(trajectoryOf(output, 'tool-not-called'), succeeded);
      const named = steps.filter((s) => tools.includes(s.name ?? ''));
      const bad = await matchingCalls(named, matches, testCase, ctx);
      if (bad.length === 0)
        return { pass: true, reason: `no call to ${tools.join(', ')}; calls: ${callNames(steps)}` };
      return {
        pass: false,
        reason: `called ${bad
          .slice(0, 3)
          .map((s) => `${s.name}(${JSON.stringify(s.args)})`)
          .join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''}`,
        details: { count: bad.length },
      };
    };
  },
};
