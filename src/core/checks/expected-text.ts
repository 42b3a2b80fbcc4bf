import type { CaseSpec } from '../types.ts';

/**
 * The reference text of a similarity check: its own `value`, else the case's `expected`. A missing or
 * non-string reference is a problem with the case, not a failed output, so it throws (runChecks turns
 * that into an error result).
 */
export function expectedText(type: string, value: string | undefined, testCase: CaseSpec): string {
  if (value !== undefined) return value;
  if (typeof testCase.expected === 'string') return testCase.expected;
  if (testCase.expected === undefined) {
    throw new Error(`${type}: no 'value' in the check and no 'expected' in case '${testCase.id}'`);
  }
  throw new Error(`${type}: case '${testCase.id}' has a non-string 'expected'; set 'value' on the check`);
}
