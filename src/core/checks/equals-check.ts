import type { CheckDefinition } from './check-definition.ts';
import { deepEqual } from './deep-equal.ts';
import { parseJsonOutput } from './parse-json-output.ts';
import { previewJson, quoteText } from './quote-text.ts';

export const equalsCheck: CheckDefinition = {
  type: 'equals',
  keys: ['value', 'trim', 'ignoreCase'],
  compile(spec) {
    const hasValue = spec.has('value');
    const value = spec.get('value');
    const trim = spec.boolean('trim', true);
    const ignoreCase = spec.boolean('ignoreCase', false);
    return (output, testCase) => {
      const expected = hasValue ? value : testCase.expected;
      if (expected === undefined) {
        throw new Error(`equals: no 'value' in the check and no 'expected' in case '${testCase.id}'`);
      }
      if (typeof expected !== 'string') {
        // A non-string value means structured output: compare parsed JSON, not text.
        const parsed = parseJsonOutput(output.text);
        if (!parsed.ok)
          return {
            pass: false,
            reason: `expected JSON equal to ${previewJson(expected)}; output is not JSON`,
          };
        const pass = deepEqual(parsed.value, expected);
        return {
          pass,
          reason: pass ? 'JSON equals the expected value' : `JSON differs from ${previewJson(expected)}`,
        };
      }
      let actual = output.text;
      let want = expected;
      if (trim) {
        actual = actual.trim();
        want = want.trim();
      }
      if (ignoreCase) {
        actual = actual.toLowerCase();
        want = want.toLowerCase();
      }
      const pass = actual === want;
      return {
        pass,
        reason: pass
          ? `equals ${quoteText(expected)}`
          : `expected ${quoteText(expected)}, got ${quoteText(output.text)}`,
      };
    };
  },
};
