import type { CheckResult } from '../types.ts';

/**
 * The answer in a chain-of-thought output: the last match of `pattern` (reasoning may mention the marker
 * before the final answer), its first capture group when it has one, else the whole match; trimmed.
 * Null when nothing matches.
 */
export function extractAnswer(text: string, pattern: string): string | null {
  const re = new RegExp(pattern, 'g');
  let found: RegExpExecArray | null = null;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    found = m;
    if (m[0] === '') re.lastIndex++;
  }
  if (!found) return null;
  return (found.length > 1 ? (found[1] ?? '') : found[0]).trim();
}

/**
 * The `extract` check of a prompt with an answer pattern: what the other checks see, and a record of it.
 * It passes with the extracted answer in `details.answer`; it fails when nothing matches (the model
 * gave no final answer in the asked format), and the other checks then see the full output.
 */
export function extractionCheck(text: string, pattern: string): { text: string; check: CheckResult } {
  const answer = extractAnswer(text, pattern);
  if (answer === null)
    return {
      text,
      check: {
        type: 'extract',
        pass: false,
        reason: `no final answer: /${pattern}/ does not match the output`,
        details: { pattern },
      },
    };
  return {
    text: answer,
    check: {
      type: 'extract',
      pass: true,
      reason: `checks see the extracted answer (${answer.length} characters)`,
      details: { pattern, answer },
    },
  };
}
