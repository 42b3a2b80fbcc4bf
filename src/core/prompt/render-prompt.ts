import type { ChatMessage, PromptSpec } from '../types.ts';
import { promptLiquid } from './prompt-liquid.ts';
import { liquidError, promptTemplates } from './prompt-templates.ts';
import { resolveVariables, type VariableSource } from './resolve-variables.ts';

/**
 * Renders a prompt's messages with `vars` (defaults applied, types checked). Uses the templates parsed
 * when the prompt was loaded; never re-parses.
 */
export function renderPrompt(
  prompt: PromptSpec,
  vars: Record<string, unknown>,
  source: VariableSource = {},
): ChatMessage[] {
  const scope = resolveVariables(prompt, vars, source);
  const liquid = promptLiquid();
  const templates = promptTemplates(prompt);
  return prompt.messages.map((message, i) => {
    const t = templates[i];
    if (!t) return { role: message.role, content: message.content };
    try {
      return { role: message.role, content: String(liquid.renderSync(t.templates, scope)) };
    } catch (e) {
      const who = source.caseId !== undefined ? ` for case '${source.caseId}'` : '';
      throw liquidError(
        e,
        `cannot render${who}`,
        { file: prompt.file, line: t.line, indent: t.indent },
        {
          hint: source.file
            ? `check the case's vars in ${source.file}${source.line ? `:${source.line}` : ''}`
            : undefined,
        },
      );
    }
  });
}
