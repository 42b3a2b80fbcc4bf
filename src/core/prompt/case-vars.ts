import type { CaseSpec } from '../types.ts';

/**
 * The variables a case renders a prompt with: its `vars`, plus its retrieved `context` documents as the
 * variable `context` unless the case sets one itself (so a RAG prompt can loop over `{% for doc in context %}`
 * without repeating the documents in `vars`).
 */
export function caseVars(testCase: Pick<CaseSpec, 'vars' | 'context'>): Record<string, unknown> {
  if (testCase.context === undefined || testCase.vars.context !== undefined) return testCase.vars;
  return { ...testCase.vars, context: testCase.context };
}
