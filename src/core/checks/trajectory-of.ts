import type {
  CaseSpec,
  CheckContext,
  CheckOutput,
  JsonSchema,
  Trajectory,
  TrajectoryStep,
} from '../types.ts';
import { compileSchema } from './compile-schema.ts';
import { deepEqual } from './deep-equal.ts';
import { parseCustomRef } from './parse-custom-ref.ts';
import type { SpecReader } from './spec-reader.ts';

/** The result's trajectory; a check error (not a fail) when the result has none. */
export function trajectoryOf(output: CheckOutput, type: string): Trajectory {
  if (!output.trajectory)
    throw new Error(
      `${type} needs a trajectory: it runs on agent cases (a suite 'defaults.agent' or a case 'agent:' block)`,
    );
  return output.trajectory;
}

/** The tool calls of a trajectory, in order (only the successful ones with `succeeded`). */
export function toolSteps(t: Trajectory, succeeded = false): TrajectoryStep[] {
  return t.steps.filter((s) => s.type === 'tool' && (!succeeded || s.error === undefined));
}

/** `a → b → c` for reasons. */
export function callNames(steps: readonly TrajectoryStep[]): string {
  return steps.length === 0 ? '(no tool calls)' : steps.map((s) => s.name).join(' → ');
}

/** Whether every key of `subset` deep-equals the same key of `value`, recursively into objects. */
export function isSubset(subset: unknown, value: unknown): boolean {
  if (typeof subset !== 'object' || subset === null || Array.isArray(subset)) {
    if (Array.isArray(subset) && Array.isArray(value))
      return subset.length === value.length && subset.every((x, i) => isSubset(x, value[i]));
    return deepEqual(subset, value);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return Object.entries(subset).every(([k, x]) => Object.hasOwn(v, k) && isSubset(x, v[k]));
}

export type ArgsMatch = 'exact' | 'subset' | 'schema' | 'custom';

/** Whether one call's arguments match; custom matchers are project functions, hence async. */
export type ArgsMatcher = (
  args: unknown,
  testCase: CaseSpec,
  ctx: CheckContext,
) => boolean | Promise<boolean>;

const CUSTOM_EXPECTED = "a function reference like 'file:checks.ts#refundArgsOk' (match: custom)";

/** Argument matching shared by tool-called and tool-not-called; undefined when the spec has no `args`. */
export function argsMatcher(spec: SpecReader): ArgsMatcher | undefined {
  const match = spec.oneOf<ArgsMatch>('match', ['exact', 'subset', 'schema', 'custom'], 'subset');
  if (!spec.has('args')) {
    if (spec.has('match'))
      spec.fail('match', "'match' needs 'args'", 'args: the arguments (or a JSON Schema) to match');
    return undefined;
  }
  const args = spec.get('args');
  if (match === 'schema') {
    const schema = spec.optionalObject(
      'args',
      'a JSON Schema for the arguments (match: schema)',
    ) as JsonSchema;
    const compiled = compileSchema(schema);
    if (!compiled.ok)
      spec.fail('args', `invalid JSON Schema: ${compiled.error}`, 'a JSON Schema (match: schema)');
    const validate = compiled.validate;
    return (a) => validate(a) === true;
  }
  if (match === 'custom') {
    const ref = spec.optionalString('args', CUSTOM_EXPECTED) as string;
    if (!parseCustomRef(ref)) spec.fail('args', `invalid function reference '${ref}'`, CUSTOM_EXPECTED);
    const fn =
      spec.env.customChecks?.get(ref) ??
      spec.fail(
        'args',
        `argument matcher '${ref}' was not loaded`,
        'a function imported by the project loader',
      );
    return async (a, testCase, ctx) => {
      // The loader's wrapper passes the arguments through and validates what the function returns.
      const o = await fn(a as CheckOutput, testCase, ctx);
      return o.pass ?? (o.score as number) >= 0.5;
    };
  }
  return match === 'exact' ? (a) => deepEqual(args, a) : (a) => isSubset(args, a);
}

/** The calls whose arguments match (all of them without a matcher), in order. */
export async function matchingCalls(
  steps: readonly TrajectoryStep[],
  matches: ArgsMatcher | undefined,
  testCase: CaseSpec,
  ctx: CheckContext,
): Promise<TrajectoryStep[]> {
  if (!matches) return [...steps];
  const out: TrajectoryStep[] = [];
  for (const s of steps) if (await matches(s.args, testCase, ctx)) out.push(s);
  return out;
}

/** `times: 2` (exactly) or `times: { min, max }`; default at least once. */
export function countBounds(spec: SpecReader, key: string): { min: number; max: number } {
  if (!spec.has(key)) return { min: 1, max: Number.POSITIVE_INFINITY };
  const v = spec.get(key);
  const expected = 'a count (exactly that many) or { min?, max? } (integers ≥ 0)';
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0) spec.fail(key, `invalid value ${v}`, expected);
    return { min: v, max: v };
  }
  const o = spec.optionalObject(key, expected) as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (k !== 'min' && k !== 'max') spec.fail(`${key}.${k}`, `unknown key '${k}'`, expected);
  const num = (k: 'min' | 'max', fallback: number) => {
    const x = o[k];
    if (x === undefined) return fallback;
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0)
      spec.fail(`${key}.${k}`, `invalid value ${String(x)}`, expected);
    return x;
  };
  const min = num('min', 0);
  const max = num('max', Number.POSITIVE_INFINITY);
  if (min > max) spec.fail(key, `min ${min} is above max ${max}`, expected);
  if (o.min === undefined && o.max === undefined) spec.fail(key, 'give min and/or max', expected);
  return { min, max };
}

export function describeBounds(b: { min: number; max: number }): string {
  if (b.min === b.max) return `exactly ${b.min}`;
  if (b.max === Number.POSITIVE_INFINITY) return `at least ${b.min}`;
  if (b.min === 0) return `at most ${b.max}`;
  return `${b.min} to ${b.max}`;
}
