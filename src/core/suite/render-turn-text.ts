import { promptLiquid } from '../prompt/prompt-liquid.ts';

/**
 * A conversation's user text (a turn's `user`, a simulated user's `firstMessage`) rendered with the case's
 * vars by the prompts' Liquid engine (strict: an unknown variable or filter throws). Prompt variable
 * defaults do not apply: the text sees exactly the case's vars.
 */
export function renderTurnText(text: string, vars: Record<string, unknown>): string {
  if (!text.includes('{')) return text;
  return String(promptLiquid().parseAndRenderSync(text, vars));
}
