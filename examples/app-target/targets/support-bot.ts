// The same application as a function: `file:targets/support-bot.ts#answerCase` in assay.yaml calls it once
// per case, in-process, with the case's vars, the rendered messages, the last user message and the case id.
import { answer } from '../app.ts';

export async function answerCase(input: { vars: Record<string, unknown>; prompt: string; caseId: string }) {
  const question = typeof input.vars.question === 'string' ? input.vars.question : input.prompt;
  const output = answer(question);
  return {
    output,
    usage: { inputTokens: Math.ceil(question.length / 4), outputTokens: Math.ceil(output.length / 4) },
  };
}
