import type { CheckOutcome } from '../types.ts';
import type { CheckDefinition } from './check-definition.ts';
import { parseCustomRef } from './parse-custom-ref.ts';

const REF_EXPECTED =
  "a reference like 'file:checks.ts#mentionsOrder' (file relative to the project root, then #export)";

/** Validates what a user function returned; anything else is a bug in that function, raised as an error. */
function checkedOutcome(ref: string, value: unknown): CheckOutcome {
  if (typeof value !== 'object' || value === null)
    throw new Error(`custom check ${ref} returned ${String(value)}`);
  const o = value as Record<string, unknown>;
  if (o.pass !== undefined && typeof o.pass !== 'boolean')
    throw new Error(`custom check ${ref}: 'pass' must be a boolean`);
  if (o.score !== undefined && !(typeof o.score === 'number' && o.score >= 0 && o.score <= 1)) {
    throw new Error(`custom check ${ref}: 'score' must be a number from 0 to 1, got ${String(o.score)}`);
  }
  if (o.pass === undefined && o.score === undefined)
    throw new Error(`custom check ${ref} returned neither 'pass' nor 'score'`);
  return o as unknown as CheckOutcome;
}

/** `custom` {ref, threshold?}, also written as the shorthand `type: file:checks.ts#name`. */
export const customCheck: CheckDefinition = {
  type: 'custom',
  keys: ['ref', 'threshold'],
  compile(spec) {
    const rawType = spec.spec.type as string;
    const shorthand = rawType.startsWith('file:');
    if (shorthand && spec.has('ref'))
      spec.fail(
        'ref',
        `both a 'file:' type and 'ref' given`,
        "either 'type: file:…' or 'type: custom' with 'ref'",
      );
    const key = shorthand ? 'type' : 'ref';
    const ref = shorthand ? rawType : spec.string('ref', REF_EXPECTED);
    if (!parseCustomRef(ref)) spec.fail(key, `invalid custom check reference '${ref}'`, REF_EXPECTED);
    // A score-only result passes at or above this.
    const threshold = spec.optionalNumber('threshold', { min: 0, max: 1 }) ?? 0.5;
    const fn =
      spec.env.customChecks?.get(ref) ??
      spec.fail(key, `custom check '${ref}' was not loaded`, 'a custom check imported by the project loader');
    return async (output, testCase, ctx) => {
      const outcome = checkedOutcome(ref, await fn(output, testCase, ctx));
      const pass = outcome.pass ?? (outcome.score as number) >= threshold;
      const reason =
        typeof outcome.reason === 'string' && outcome.reason !== ''
          ? outcome.reason
          : pass
            ? 'passed'
            : 'failed';
      return { ...outcome, pass, reason };
    };
  },
};
