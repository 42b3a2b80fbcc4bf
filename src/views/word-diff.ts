import { diffWordsWithSpace } from 'diff';

/** One run of text in a word-level diff: kept in both, only in the old text, or only in the new one. */
export interface DiffSegment {
  op: 'same' | 'removed' | 'added';
  text: string;
}

/** Above this many characters on either side a word diff is skipped (whole-text replace): it is quadratic. */
export const WORD_DIFF_MAX_CHARS = 20_000;

/**
 * The word-level difference between two outputs (whitespace kept, so the segments concatenate back to each
 * side exactly). Pure data: callers render it, escaping every segment.
 */
export function wordDiff(before: string, after: string): DiffSegment[] {
  if (before === after) return before === '' ? [] : [{ op: 'same', text: before }];
  if (before.length > WORD_DIFF_MAX_CHARS || after.length > WORD_DIFF_MAX_CHARS) {
    const out: DiffSegment[] = [];
    if (before !== '') out.push({ op: 'removed', text: before });
    if (after !== '') out.push({ op: 'added', text: after });
    return out;
  }
  return diffWordsWithSpace(before, after).map((c) => ({
    op: c.added ? 'added' : c.removed ? 'removed' : 'same',
    text: c.value,
  }));
}
