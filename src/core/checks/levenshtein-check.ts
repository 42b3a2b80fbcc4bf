import { distance } from 'fastest-levenshtein';
import type { CheckDefinition } from './check-definition.ts';
import { expectedText } from './expected-text.ts';
import { quoteText } from './quote-text.ts';

export const levenshteinCheck: CheckDefinition = {
  type: 'levenshtein',
  keys: ['value', 'max'],
  compile(spec) {
    const value = spec.optionalString('value', 'a string (defaults to the case expected)');
    const max = spec.number('max', { min: 0, integer: true });
    return (output, testCase) => {
      const reference = expectedText('levenshtein', value, testCase).trim();
      const text = output.text.trim();
      const d = distance(text, reference);
      const longest = Math.max(text.length, reference.length);
      const score = longest === 0 ? 1 : 1 - d / longest;
      const pass = d <= max;
      return {
        pass,
        score,
        reason: `edit distance ${d} ${pass ? '≤' : '>'} ${max} from ${quoteText(reference)}`,
        details: { distance: d },
      };
    };
  },
};
