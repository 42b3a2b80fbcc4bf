import type { CaseSpec, CheckContext, CheckOutput, CheckResult, CompiledCheck } from '../types.ts';

export interface RunnableCheck {
  type: string;
  name?: string;
  run: CompiledCheck;
}

/** A score-only outcome (pass undefined) passes at or above this. */
const DEFAULT_PASS_SCORE = 0.5;

/**
 * Runs the checks of one output, concurrently, results in input order. A check that throws, or returns
 * something that is not an outcome, becomes a result with `error` set (and `pass: false`), so one broken
 * check never crashes the run; the engine turns such a result into an `error`, not a failure.
 */
export async function runChecks(
  checks: readonly RunnableCheck[],
  output: CheckOutput,
  testCase: CaseSpec,
  ctx: CheckContext,
): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      const label: Pick<CheckResult, 'type' | 'name'> = { type: check.type };
      if (check.name !== undefined) label.name = check.name;
      try {
        const outcome = await check.run(output, testCase, ctx);
        if (typeof outcome !== 'object' || outcome === null)
          throw new Error(`check returned ${String(outcome)}`);
        const { pass, score, reason, details } = outcome;
        if (score !== undefined && !(typeof score === 'number' && score >= 0 && score <= 1)) {
          throw new Error(`check returned score ${String(score)}; expected a number from 0 to 1`);
        }
        if (pass === undefined && score === undefined)
          throw new Error('check returned neither pass nor score');
        const result: CheckResult = {
          ...label,
          pass: pass ?? (score as number) >= DEFAULT_PASS_SCORE,
          reason: typeof reason === 'string' ? reason : '',
        };
        if (score !== undefined) result.score = score;
        if (details !== undefined) result.details = details;
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ...label, pass: false, reason: `error: ${message}`, error: message };
      }
    }),
  );
}
