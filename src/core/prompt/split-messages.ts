import { ConfigError } from '../errors.ts';
import type { Role } from '../types.ts';

/** One message template of a prompt body, with where its content starts in the file. */
export interface MessageSection {
  role: Role;
  /** Trimmed content, trailing whitespace stripped from every line. */
  content: string;
  /** 1-based file line of the content's first line. */
  line: number;
  /** Characters removed from the start of the content's first line (for column mapping). */
  indent: number;
}

const HEADING = /^#[ \t]*(system|user|assistant)[ \t]*$/i;
const FENCE = /^\s*(```|~~~)/;

/**
 * Splits a prompt body into chat messages at `# system`, `# user` and `# assistant` lines (case-insensitive;
 * ignored inside fenced code blocks). A body without such headings is one user message. Expects LF text.
 */
export function splitMessages(body: string, bodyStartLine: number, file: string): MessageSection[] {
  const lines = body.split('\n').map((l) => l.replace(/[ \t]+$/, ''));
  const headings: { index: number; role: Role }[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : HEADING.exec(line);
    if (m?.[1]) headings.push({ index, role: m[1].toLowerCase() as Role });
  });
  const section = (role: Role, from: number, to: number, headingLine?: number): MessageSection => {
    let start = from;
    while (start < to && lines[start]?.trim() === '') start++;
    const content = lines.slice(from, to).join('\n').trim();
    if (!content)
      throw new ConfigError(`the '# ${role}' message is empty`, {
        file,
        line: headingLine ?? bodyStartLine,
        expected: 'message text after the heading',
        hint: 'write the message under the heading, or remove the heading',
      });
    const first = lines[start] ?? '';
    return { role, content, line: bodyStartLine + start, indent: first.length - first.trimStart().length };
  };
  const first = headings[0];
  if (!first) {
    if (!body.trim())
      throw new ConfigError('the prompt has no messages', {
        file,
        line: bodyStartLine,
        expected: "message text after the front matter, optionally under '# system' / '# user' headings",
      });
    return [section('user', 0, lines.length)];
  }
  const stray = lines.slice(0, first.index).findIndex((l) => l.trim() !== '');
  if (stray >= 0)
    throw new ConfigError('text before the first message heading', {
      file,
      line: bodyStartLine + stray,
      expected: "every line of the body under a '# system', '# user' or '# assistant' heading",
      hint: "move this text under a heading, or add '# system' above it",
    });
  return headings.map((h, i) =>
    section(h.role, h.index + 1, headings[i + 1]?.index ?? lines.length, bodyStartLine + h.index),
  );
}
