import type { CheckDefinition } from './check-definition.ts';
import { findRefusal } from './find-refusal.ts';

/** `refused` passes when the output refuses; `not-refused` when it does not. */
export const refusalChecks: CheckDefinition[] = [
  {
    type: 'refused',
    keys: [],
    compile() {
      return (output) => {
        const phrase = findRefusal(output.text);
        return phrase
          ? { pass: true, reason: `refusal: '${phrase}'` }
          : { pass: false, reason: 'expected a refusal; no refusal phrase found' };
      };
    },
  },
  {
    type: 'not-refused',
    keys: [],
    compile() {
      return (output) => {
        const phrase = findRefusal(output.text);
        return phrase
          ? { pass: false, reason: `unexpected refusal: '${phrase}'` }
          : { pass: true, reason: 'no refusal phrase found' };
      };
    },
  },
];
