import type { CheckOutput } from '../types.ts';
import type { CheckDefinition } from './check-definition.ts';
import { parseCustomRef } from './parse-custom-ref.ts';
import { isSubset, trajectoryOf } from './trajectory-of.ts';

const FN_EXPECTED =
  "a reference like 'file:checks.ts#refundedOnce' (file relative to the project root, then #export)";

/** Paths (`orders.A1.refunded`) where `expect` and the state differ, for reasons. */
function differences(expect: unknown, state: unknown, path = '$'): string[] {
  if (typeof expect !== 'object' || expect === null || Array.isArray(expect))
    return isSubset(expect, state)
      ? []
      : [`${path}: expected ${JSON.stringify(expect)}, got ${JSON.stringify(state) ?? 'nothing'}`];
  if (typeof state !== 'object' || state === null || Array.isArray(state))
    return [`${path}: expected an object, got ${JSON.stringify(state) ?? 'nothing'}`];
  const s = state as Record<string, unknown>;
  return Object.entries(expect).flatMap(([k, v]) =>
    Object.hasOwn(s, k) ? differences(v, s[k], `${path}.${k}`) : [`${path}.${k}: missing`],
  );
}

/**
 * `end-state`: the tool environment's final state matches `expect` (a JSON subset: objects need only the
 * given keys, lists match element by element), or a function `fn: file:checks.ts#name` called with
 * (state, testCase, ctx) returns a pass (boolean, score or { pass, score, reason }).
 */
export const endStateCheck: CheckDefinition = {
  type: 'end-state',
  keys: ['expect', 'fn', 'threshold'],
  compile(spec) {
    const hasExpect = spec.has('expect');
    const ref = spec.optionalString('fn', FN_EXPECTED);
    if (hasExpect === (ref !== undefined))
      spec.fail(
        undefined,
        "end-state needs exactly one of 'expect' and 'fn'",
        "expect: { … } (a JSON subset of the state) or fn: 'file:checks.ts#name'",
      );
    const threshold = spec.optionalNumber('threshold', { min: 0, max: 1 }) ?? 0.5;
    if (ref !== undefined) {
      if (!parseCustomRef(ref)) spec.fail('fn', `invalid function reference '${ref}'`, FN_EXPECTED);
      const fn =
        spec.env.customChecks?.get(ref) ??
        spec.fail(
          'fn',
          `end-state function '${ref}' was not loaded`,
          'a function imported by the project loader',
        );
      return async (output, testCase, ctx) => {
        const state = stateOf(output);
        // The loader's wrapper passes its arguments through and validates what the function returns.
        const o = await fn(state as unknown as CheckOutput, testCase, ctx);
        const pass = o.pass ?? (o.score as number) >= threshold;
        return {
          pass,
          ...(o.score !== undefined ? { score: o.score } : {}),
          reason: o.reason !== '' ? o.reason : pass ? 'end state accepted' : 'end state rejected',
          ...(o.details ? { details: o.details } : {}),
        };
      };
    }
    const expect = spec.get('expect');
    return (output) => {
      const state = stateOf(output);
      const diff = differences(expect, state);
      if (diff.length === 0) return { pass: true, reason: 'the end state matches' };
      return {
        pass: false,
        reason: `end state differs: ${diff.slice(0, 3).join('; ')}`,
        details: { differences: diff },
      };
    };
  },
};

function stateOf(output: CheckOutput): unknown {
  const t = trajectoryOf(output, 'end-state');
  if (t.state === undefined)
    throw new Error(
      "end-state needs the environment's state: use a 'tools: file:…' environment that returns state()",
    );
  return t.state;
}
