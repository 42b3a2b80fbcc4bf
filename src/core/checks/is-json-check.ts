import type { CheckDefinition } from './check-definition.ts';
import { parseJsonOutput } from './parse-json-output.ts';

export const isJsonCheck: CheckDefinition = {
  type: 'is-json',
  keys: [],
  compile() {
    return (output) => {
      const parsed = parseJsonOutput(output.text);
      return parsed.ok
        ? { pass: true, reason: 'valid JSON' }
        : { pass: false, reason: `not valid JSON: ${parsed.error}` };
    };
  },
};
