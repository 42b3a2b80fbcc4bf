import { type CitationMarker, findCitationMarkers } from './find-citations.ts';

/** A quoted span of an answer, with the citations attached to it. */
export interface QuotedSpan {
  /** The quoted text, citation markers removed, whitespace kept as written. */
  text: string;
  start: number;
  end: number;
  /** Ids cited inside the quote or directly after it (only spaces and punctuation between). */
  cited: string[];
}

// Markdown blockquote lines: up to 3 spaces, '>', an optional space.
const BLOCKQUOTE_LINE = /^ {0,3}>[ \t]?(.*)$/gm;
// "…", “…”, «…»; a quote may wrap lines but not span a blank line (a new paragraph). The length cap
// keeps the scan linear on outputs full of unclosed quotation marks.
const INLINE =
  /"((?:[^"\n]|\n(?![ \t]*\n)){1,5000})"|“((?:[^“”\n]|\n(?![ \t]*\n)){1,5000})”|«((?:[^«»\n]|\n(?![ \t]*\n)){1,5000})»/g;
// What may sit between a closing quote and its citation: `"…" [1]`, `"…", [1].`, `"…" ([1])`.
const GAP = /[\s.,;:!?()\-–—]*/y;
// Between two markers that cite one quote: `[1][2]`, `[1], [2]`.
const BETWEEN_MARKERS = /[\s,;]*/y;

type MarkersByStart = Map<number, CitationMarker>;

/** The end of the run of `sticky` matching at `pos`. */
function skip(sticky: RegExp, text: string, pos: number): number {
  sticky.lastIndex = pos;
  return sticky.exec(text) ? sticky.lastIndex : pos;
}

function blockquotes(text: string): { body: string; start: number; end: number }[] {
  const groups: { lines: string[]; start: number; end: number }[] = [];
  for (const m of text.matchAll(BLOCKQUOTE_LINE)) {
    const last = groups.at(-1);
    // Consecutive lines (only the newline between) form one quote.
    if (last && last.end + 1 === m.index) {
      last.lines.push(m[1] ?? '');
      last.end = m.index + m[0].length;
    } else groups.push({ lines: [m[1] ?? ''], start: m.index, end: m.index + m[0].length });
  }
  return groups.map((g) => ({ body: g.lines.join('\n'), start: g.start, end: g.end }));
}

/** Removes citation markers from a quote's text, returning the text and the ids they cite. */
function stripMarkers(body: string): { text: string; ids: string[] } {
  const ids: string[] = [];
  let text = '';
  let at = 0;
  for (const marker of findCitationMarkers(body)) {
    text += body.slice(at, marker.start);
    ids.push(...marker.ids);
    at = marker.end;
  }
  return { text: text + body.slice(at), ids };
}

/** Ids of the citation markers that directly follow `end` (`"…" [1][2]`, `"…", [doc-3].`). */
function followingIds(text: string, end: number, markers: MarkersByStart): string[] {
  const ids: string[] = [];
  let marker = markers.get(skip(GAP, text, end));
  while (marker) {
    ids.push(...marker.ids);
    marker = markers.get(skip(BETWEEN_MARKERS, text, marker.end));
  }
  return ids;
}

/**
 * Quoted spans of a text, in order: Markdown blockquotes (consecutive `>` lines form one span), then text
 * between "…", “…” or «…» outside blockquotes. Single quotes are not quotes (they are apostrophes too).
 */
export function findQuotes(text: string): QuotedSpan[] {
  const markers: MarkersByStart = new Map(findCitationMarkers(text).map((m) => [m.start, m]));
  const spans: QuotedSpan[] = [];
  // Blank out blockquotes (keeping offsets) so their inner quotation marks are not read again.
  const pieces: string[] = [];
  let at = 0;
  for (const block of blockquotes(text)) {
    const { text: body, ids } = stripMarkers(block.body);
    spans.push({
      text: body,
      start: block.start,
      end: block.end,
      cited: [...ids, ...followingIds(text, block.end, markers)],
    });
    pieces.push(text.slice(at, block.start), text.slice(block.start, block.end).replace(/[^\n]/g, ' '));
    at = block.end;
  }
  const masked = pieces.join('') + text.slice(at);
  for (const m of masked.matchAll(INLINE)) {
    const end = m.index + m[0].length;
    const { text: body, ids } = stripMarkers(m[1] ?? m[2] ?? m[3] ?? '');
    spans.push({ text: body, start: m.index, end, cited: [...ids, ...followingIds(text, end, markers)] });
  }
  return spans.sort((a, b) => a.start - b.start).map((s) => ({ ...s, cited: [...new Set(s.cited)] }));
}

/**
 * Text as compared by `quotes-grounded`: curly and angle quotation marks made straight, whitespace
 * collapsed to one space, trimmed; lower-cased with `ignoreCase`.
 */
export function normaliseForQuote(text: string, ignoreCase = false): string {
  const out = text
    .replace(/[\u2018\u2019\u201a\u201b\u02bc\u2032`]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
  return ignoreCase ? out.toLowerCase() : out;
}

/**
 * The pieces of a normalised quote that must occur in a document, in order: split at an ellipsis (`…`,
 * `...`, `[…]`) marking an omission, each piece without surrounding spaces and trailing punctuation that
 * writers move inside the quote ("… within 30 days.").
 */
export function quoteFragments(normalised: string): string[] {
  return normalised
    .split(/\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)\s*/)
    .map((piece) => piece.replace(/^[\s"']+|[\s.,;:!?"']+$/g, ''))
    .filter((piece) => piece !== '');
}

/** Whether every fragment occurs in `haystack`, in order, without overlapping. */
export function occursInOrder(fragments: readonly string[], haystack: string): boolean {
  let at = 0;
  for (const piece of fragments) {
    const i = haystack.indexOf(piece, at);
    if (i < 0) return false;
    at = i + piece.length;
  }
  return true;
}
