// [doc-7], [1], [1, 3], [doc-1; doc-2], [^2] (footnote), 【doc-7】; not Markdown links [text](url).
const GROUP = /\[([^[\]\n]{1,200})\](?!\()|【([^【】\n]{1,200})】/g;
const ID = /^\^?([A-Za-z0-9][\w.:/#-]*)$/;

/**
 * Citation ids in order of first appearance, without duplicates. A bracket group counts only when every
 * comma- or semicolon-separated item is an id (letters, digits, `_ . : / # -`, no spaces), so prose in
 * brackets such as "[see above]" is ignored.
 */
export function findCitations(text: string): string[] {
  const ids: string[] = [];
  for (const m of text.matchAll(GROUP)) {
    const items = (m[1] ?? m[2] ?? '').split(/[,;]/).map((s) => s.trim());
    const parsed = items.map((item) => ID.exec(item)?.[1]);
    if (parsed.some((id) => id === undefined)) continue;
    for (const id of parsed as string[]) if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
