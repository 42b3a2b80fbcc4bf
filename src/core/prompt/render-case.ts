import type { CaseSpec, ChatMessage, PromptSpec } from '../types.ts';
import { caseVars } from './case-vars.ts';
import { renderPrompt } from './render-prompt.ts';
import type { VariableSource } from './resolve-variables.ts';

/**
 * The messages sent for one case: the prompt rendered with the case's vars (and `context`), and the case's prior turns
 * (multi-turn cases) inserted just before the prompt's last message:
 * [system, few-shots…, …case.messages, last user message].
 */
export function renderCase(
  prompt: PromptSpec,
  testCase: CaseSpec,
  source: Omit<VariableSource, 'caseId'> = {},
): ChatMessage[] {
  const rendered = renderPrompt(prompt, caseVars(testCase), { ...source, caseId: testCase.id });
  const history = testCase.messages ?? [];
  if (history.length === 0) return rendered;
  const last = rendered[rendered.length - 1];
  return last ? [...rendered.slice(0, -1), ...history.map((m) => ({ ...m })), last] : [...history];
}
