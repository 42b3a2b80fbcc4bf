import type { Trajectory } from '../core/types.ts';

const MAX_RESULT = 2000;

function clip(s: string): string {
  return s.length > MAX_RESULT ? `${s.slice(0, MAX_RESULT)}… (${s.length - MAX_RESULT} more characters)` : s;
}

function args(a: unknown): string {
  return typeof a === 'string' ? a : JSON.stringify(a);
}

/**
 * A trajectory as plain text for a judge (`uses: [trajectory]`): each model call with its text and tool
 * calls, each tool result or error, and how the run ended. Long tool results are cut.
 */
export function renderTranscript(t: Trajectory): string {
  const lines: string[] = [];
  let llm = 0;
  for (const s of t.steps) {
    if (s.type === 'llm') {
      llm++;
      if (s.error !== undefined) lines.push(`model call ${llm}: failed (${s.error})`);
      const text = s.text?.trim() ?? '';
      const calls = s.toolCalls ?? [];
      if (text !== '') lines.push(`model call ${llm} says: ${text}`);
      for (const c of calls) lines.push(`model call ${llm} calls ${c.name} ${args(c.arguments)}`);
      if (text === '' && calls.length === 0 && s.error === undefined)
        lines.push(`model call ${llm}: (empty)`);
    } else if (s.type === 'tool') {
      lines.push(
        s.error !== undefined
          ? `  ${s.name} → ERROR: ${clip(s.error)}`
          : `  ${s.name} → ${clip(s.text ?? '')}`,
      );
    } else {
      lines.push(`user: ${s.text ?? ''}`);
    }
  }
  const tools = t.steps.filter((s) => s.type === 'tool');
  const errors = tools.filter((s) => s.error !== undefined).length;
  lines.push(
    `ended: ${t.termination} (${llm} model call${llm === 1 ? '' : 's'}, ${tools.length} tool call${tools.length === 1 ? '' : 's'}, ${errors} tool error${errors === 1 ? '' : 's'})`,
  );
  return lines.join('\n');
}
