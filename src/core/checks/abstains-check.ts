import type { CheckDefinition } from './check-definition.ts';
import { abstentionMatcher } from './find-abstention.ts';

/**
 * `abstains`: the answer says it does not know, or that the context lacks the information — the right
 * answer when the documents do not hold it. `not: true` is the "must answer" case.
 */
export const abstainsCheck: CheckDefinition = {
  type: 'abstains',
  keys: ['phrases', 'pattern', 'flags'],
  compile(spec) {
    const find = abstentionMatcher(spec.optionalStrings('phrases'));
    const source = spec.optionalString('pattern', 'a JavaScript regular expression');
    const flags = spec.optionalString('flags', 'regular expression flags, e.g. i') ?? '';
    if (!source && spec.has('flags'))
      spec.fail('flags', "'flags' without 'pattern'", 'flags only together with pattern');
    if (!/^[imsuv]*$/.test(flags) || new Set(flags).size !== flags.length)
      spec.fail('flags', `invalid flags '${flags}'`, 'distinct letters from: i, m, s, u, v');
    let re: RegExp | undefined;
    try {
      re = source === undefined ? undefined : new RegExp(source, flags);
    } catch (error) {
      const detail = /: ([^:]*)$/.exec((error as Error).message)?.[1] ?? (error as Error).message;
      spec.fail('pattern', `invalid regular expression: ${detail}`, 'a JavaScript regular expression');
    }
    return (output) => {
      const phrase = find(output.text);
      if (phrase) return { pass: true, reason: `abstains: '${phrase}'`, details: { phrase } };
      const m = re?.exec(output.text);
      if (m)
        return { pass: true, reason: `abstains: matches /${source}/${flags}`, details: { phrase: m[0] } };
      return {
        pass: false,
        reason: 'answers instead of abstaining: no "I don\'t know" or "not in the context" phrase found',
      };
    };
  },
};
