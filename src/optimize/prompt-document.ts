/**
 * A prompt file seen as the optimizer edits it: everything before the edited message (front matter,
 * earlier messages), the edited message's preamble and its `## ` sections, and everything after. The
 * edited message is the first `# system` message, else the whole body (a prompt without headings is one
 * user message). Rendering an unedited document gives back the file text unchanged (LF line endings).
 */
export interface PromptSection {
  title: string;
  /** The section's lines after its `## ` heading, verbatim (trailing blank lines included). */
  lines: string[];
}

export interface PromptDocument {
  head: string[];
  preamble: string[];
  sections: PromptSection[];
  tail: string[];
}

const MESSAGE_HEADING = /^#[ \t]*(system|user|assistant)[ \t]*$/i;
const SECTION_HEADING = /^##[ \t]+(.+?)[ \t]*$/;
const FENCE = /^\s*(```|~~~)/;

export function parsePromptDocument(text: string): PromptDocument {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let bodyStart = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
    bodyStart = end < 0 ? lines.length : end + 1;
  }
  const headings: { index: number; role: string }[] = [];
  let inFence = false;
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i] as string;
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : MESSAGE_HEADING.exec(line);
    if (m?.[1]) headings.push({ index: i, role: m[1].toLowerCase() });
  }
  let from = bodyStart;
  let to = lines.length;
  const system = headings.findIndex((h) => h.role === 'system');
  if (system >= 0) {
    from = (headings[system] as { index: number }).index + 1;
    to = headings[system + 1]?.index ?? lines.length;
  } else if (headings.length > 0) {
    const first = headings[0] as { index: number };
    from = first.index + 1;
    to = headings[1]?.index ?? lines.length;
  }
  // Trailing blank lines of the message belong to the tail, so appending lands after the last text.
  while (to > from && lines[to - 1]?.trim() === '') to--;
  const message = lines.slice(from, to);
  const preamble: string[] = [];
  const sections: PromptSection[] = [];
  inFence = false;
  for (const line of message) {
    if (FENCE.test(line)) inFence = !inFence;
    const m = inFence ? null : SECTION_HEADING.exec(line);
    if (m?.[1]) sections.push({ title: m[1], lines: [] });
    else (sections.at(-1)?.lines ?? preamble).push(line);
  }
  return { head: lines.slice(0, from), preamble, sections, tail: lines.slice(to) };
}

export function renderPromptDocument(doc: PromptDocument): string {
  const out = [...doc.head, ...doc.preamble];
  for (const s of doc.sections) out.push(`## ${s.title}`, ...s.lines);
  out.push(...doc.tail);
  return out.join('\n');
}

/** The edited message's text (what a diagnosis shows with line numbers). */
export function messageText(doc: PromptDocument): string {
  return renderPromptDocument({ head: [], preamble: doc.preamble, sections: doc.sections, tail: [] });
}
