import { compileCheck } from '../core/checks/compile-check.ts';
import type { BoundCheck } from '../core/config/project.ts';
import type { CaseSpec, CheckSpec } from '../core/types.ts';

/** A conversation case's per-turn checks, compiled: `turns[i]` judge turn i's reply, `everyTurn` every reply. */
export interface ConversationChecks {
  turns: BoundCheck[][];
  everyTurn: BoundCheck[];
}

// Keyed by the case object the run plan hands to the executor: the loader compiles once (with custom
// checks and judges resolved), the executor finds them without the project.
const bound = new WeakMap<CaseSpec, ConversationChecks>();

/** Every per-turn check spec of a case (turn checks, then everyTurn), in order. */
export function conversationCheckSpecs(testCase: CaseSpec): CheckSpec[] {
  return [...(testCase.turns ?? []).flatMap((t) => t.checks), ...(testCase.everyTurn ?? [])];
}

/** Records the compiled per-turn checks of a case; `compiled` maps each spec (as written) to its check. */
export function bindConversationChecks(
  testCase: CaseSpec,
  compiled: (spec: CheckSpec) => BoundCheck | undefined,
): void {
  const list = (specs: CheckSpec[]) =>
    specs.map((s) => compiled(s)).filter((b): b is BoundCheck => b !== undefined);
  bound.set(testCase, {
    turns: (testCase.turns ?? []).map((t) => list(t.checks)),
    everyTurn: list(testCase.everyTurn ?? []),
  });
}

/**
 * The compiled per-turn checks of a case. A case the loader did not see (built by hand in the library API)
 * is compiled now, without custom checks or judge files: those need `loadProject`.
 */
export function conversationChecksOf(testCase: CaseSpec): ConversationChecks {
  let checks = bound.get(testCase);
  if (!checks) {
    const compile = (spec: CheckSpec, field: string): BoundCheck => ({
      type: spec.type,
      ...(typeof spec.name === 'string' ? { name: spec.name } : {}),
      run: compileCheck(spec, { where: { field: `case '${testCase.id}' ${field}` } }),
    });
    checks = {
      turns: (testCase.turns ?? []).map((t, i) =>
        t.checks.map((s, j) => compile(s, `turns[${i}].checks[${j}]`)),
      ),
      everyTurn: (testCase.everyTurn ?? []).map((s, j) => compile(s, `everyTurn[${j}]`)),
    };
    bound.set(testCase, checks);
  }
  return checks;
}
