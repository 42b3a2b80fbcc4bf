import type { CaseSpec, CheckContext, CheckOutcome, CheckOutput } from '../types.ts';
import type { SpecReader } from './spec-reader.ts';

/** An outcome with a verdict: every built-in check decides pass or fail. */
export interface Verdict extends CheckOutcome {
  pass: boolean;
}

export type CheckRun = (
  output: CheckOutput,
  testCase: CaseSpec,
  ctx: CheckContext,
) => Verdict | Promise<Verdict>;

/** Compiles a nested check; `field` is relative to the parent spec, e.g. `checks[1]`. */
export type CompileChild = (spec: unknown, field: string) => CheckRun;

/** One built-in check type: the keys it accepts (besides type, name, not, weight) and its compiler. */
export interface CheckDefinition {
  type: string;
  keys: readonly string[];
  /** Validates the spec (throwing ConfigError through `spec`) and returns the runnable check. */
  compile(spec: SpecReader, compileChild: CompileChild): CheckRun;
}
