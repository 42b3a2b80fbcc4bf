import type { CheckDefinition } from './check-definition.ts';
import { quoteText } from './quote-text.ts';

const list = (values: string[]) => values.map((v) => quoteText(v)).join(', ');

function containsDefinition(type: 'contains' | 'icontains', ignoreCase: boolean): CheckDefinition {
  return {
    type,
    keys: ['value', 'mode'],
    compile(spec) {
      const values = spec.strings('value');
      const mode = spec.oneOf('mode', ['all', 'any'] as const, 'all');
      const needles = ignoreCase ? values.map((v) => v.toLowerCase()) : values;
      return (output) => {
        const text = ignoreCase ? output.text.toLowerCase() : output.text;
        const found = values.filter((_, i) => text.includes(needles[i] as string));
        const missing = values.filter((_, i) => !text.includes(needles[i] as string));
        const pass = mode === 'all' ? missing.length === 0 : found.length > 0;
        const details = { found, missing };
        if (pass) return { pass, reason: `contains ${list(found)}`, details };
        const reason =
          mode === 'all'
            ? `expected to contain ${list(missing)} (missing)`
            : `expected to contain any of ${list(values)} (none found)`;
        return { pass, reason, details };
      };
    },
  };
}

const notContains: CheckDefinition = {
  type: 'not-contains',
  keys: ['value'],
  compile(spec) {
    const values = spec.strings('value');
    return (output) => {
      const present = values.filter((v) => output.text.includes(v));
      return present.length === 0
        ? { pass: true, reason: `does not contain ${list(values)}` }
        : { pass: false, reason: `contains forbidden ${list(present)}`, details: { present } };
    };
  },
};

/** `contains`, `icontains` (case-insensitive) and `not-contains`. */
export const containsChecks: CheckDefinition[] = [
  containsDefinition('contains', false),
  containsDefinition('icontains', true),
  notContains,
];
