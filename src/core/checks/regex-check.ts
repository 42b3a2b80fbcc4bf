import type { CheckDefinition } from './check-definition.ts';
import { quoteText } from './quote-text.ts';

/** V8 says "Invalid regular expression: /(a/: Unterminated group"; keep the part a person needs. */
function regexProblem(error: unknown): string {
  const message = (error as Error).message;
  const detail = /^Invalid regular expression: \/.*\/[a-z]*: (.*)$/s.exec(message)?.[1];
  return `invalid regular expression: ${detail ?? message}`;
}

export const regexCheck: CheckDefinition = {
  type: 'regex',
  keys: ['pattern', 'flags'],
  compile(spec) {
    const pattern = spec.string('pattern', 'a JavaScript regular expression');
    const flags = spec.optionalString('flags', 'regular expression flags, e.g. i, m, s, u') ?? '';
    if (!/^[dgimsuvy]*$/.test(flags) || new Set(flags).size !== flags.length) {
      spec.fail('flags', `invalid flags '${flags}'`, 'distinct letters from: d, g, i, m, s, u, v, y');
    }
    let re: RegExp;
    try {
      re = new RegExp(pattern, flags);
    } catch (error) {
      return spec.fail('pattern', regexProblem(error), 'a JavaScript regular expression');
    }
    const shown = `/${pattern}/${flags}`;
    return (output) => {
      // g and y make exec stateful; always search from the start.
      re.lastIndex = 0;
      const match = re.exec(output.text);
      return match
        ? { pass: true, reason: `matches ${shown}: ${quoteText(match[0])}`, details: { index: match.index } }
        : { pass: false, reason: `does not match ${shown}` };
    };
  },
};
