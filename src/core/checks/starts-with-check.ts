import type { CheckDefinition } from './check-definition.ts';
import { quoteText } from './quote-text.ts';

export const startsWithCheck: CheckDefinition = {
  type: 'starts-with',
  keys: ['value'],
  compile(spec) {
    const value = spec.string('value');
    return (output) => {
      // Models often open with a newline or space; that should not decide the check.
      const pass = output.text.trimStart().startsWith(value);
      return pass
        ? { pass, reason: `starts with ${quoteText(value)}` }
        : {
            pass,
            reason: `expected to start with ${quoteText(value)}, got ${quoteText(output.text.trimStart(), 20)}`,
          };
    };
  },
};
