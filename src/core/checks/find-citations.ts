import type { ContextDocument } from '../types.ts';

// [doc-7], [1], [1, 3], [doc-1; doc-2], [^2] (footnote), 【doc-7】; not Markdown links [text](url).
const GROUP = /\[([^[\]\n]{1,200})\](?!\()|【([^【】\n]{1,200})】/g;
const ID = /^\^?([A-Za-z0-9][\w.:/#-]*)$/;

/** One citation marker in a text: its ids in written order, and where it sits (`end` is exclusive). */
export interface CitationMarker {
  ids: string[];
  start: number;
  end: number;
}

/**
 * Every citation marker, in order. A bracket group counts only when every comma- or semicolon-separated
 * item is an id (letters, digits, `_ . : / # -`, no spaces), so prose in brackets such as "[see above]"
 * is ignored.
 */
export function findCitationMarkers(text: string): CitationMarker[] {
  const markers: CitationMarker[] = [];
  for (const m of text.matchAll(GROUP)) {
    const items = (m[1] ?? m[2] ?? '').split(/[,;]/).map((s) => s.trim());
    const parsed = items.map((item) => ID.exec(item)?.[1]);
    if (parsed.some((id) => id === undefined)) continue;
    markers.push({ ids: parsed as string[], start: m.index, end: m.index + m[0].length });
  }
  return markers;
}

/** Citation ids in order of first appearance, without duplicates. */
export function findCitations(text: string): string[] {
  const ids: string[] = [];
  for (const marker of findCitationMarkers(text))
    for (const id of marker.ids) if (!ids.includes(id)) ids.push(id);
  return ids;
}

/**
 * The context document a cited id names: a document whose `id` equals it wins; otherwise `[n]` is the
 * n-th document (1-based). Undefined when it names none.
 */
export function resolveCitation(
  id: string,
  context: readonly ContextDocument[],
): ContextDocument | undefined {
  const byId = context.find((doc) => doc.id === id);
  if (byId) return byId;
  const n = /^\d+$/.test(id) ? Number(id) : 0;
  return n >= 1 && n <= context.length ? context[n - 1] : undefined;
}

export interface ResolvedCitations {
  /** Distinct document ids cited, in order of first citation (raw ids when there is no context). */
  cited: string[];
  /** Cited ids that name no context document, in order, without duplicates. */
  unknown: string[];
}

/** Resolves cited ids against the case's context; without context every id counts as cited as is. */
export function resolveCitations(
  ids: readonly string[],
  context?: readonly ContextDocument[],
): ResolvedCitations {
  const cited: string[] = [];
  const unknown: string[] = [];
  for (const id of ids) {
    const docId = context ? resolveCitation(id, context)?.id : id;
    if (docId === undefined) {
      if (!unknown.includes(id)) unknown.push(id);
    } else if (!cited.includes(docId)) cited.push(docId);
  }
  return { cited, unknown };
}

/** `[a], [b]` for reasons. */
export function showIds(ids: readonly string[]): string {
  return ids.map((id) => `[${id}]`).join(', ');
}
