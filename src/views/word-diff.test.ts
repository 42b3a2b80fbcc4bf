import { describe, expect, it } from 'vitest';
import { WORD_DIFF_MAX_CHARS, wordDiff } from './word-diff.ts';

const side = (segs: ReturnType<typeof wordDiff>, keep: 'removed' | 'added'): string =>
  segs
    .filter((s) => s.op === 'same' || s.op === keep)
    .map((s) => s.text)
    .join('');

describe('wordDiff', () => {
  it('marks the changed word and keeps the rest', () => {
    expect(wordDiff('the cat sat', 'the dog sat')).toEqual([
      { op: 'same', text: 'the ' },
      { op: 'removed', text: 'cat' },
      { op: 'added', text: 'dog' },
      { op: 'same', text: ' sat' },
    ]);
  });

  it('reassembles both sides exactly, whitespace and markup included', () => {
    const a = 'Refund  approved.\n<b>Thanks</b> — see §3';
    const b = 'Refund denied.\n<b>Thanks</b>  — see §4 <script>x</script>';
    const segs = wordDiff(a, b);
    expect(side(segs, 'removed')).toBe(a);
    expect(side(segs, 'added')).toBe(b);
  });

  it('handles equal and empty texts', () => {
    expect(wordDiff('', '')).toEqual([]);
    expect(wordDiff('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
    expect(wordDiff('', 'new')).toEqual([{ op: 'added', text: 'new' }]);
  });

  it('replaces very long texts whole instead of diffing them', () => {
    const long = 'x '.repeat(WORD_DIFF_MAX_CHARS);
    expect(wordDiff(long, 'short')).toEqual([
      { op: 'removed', text: long },
      { op: 'added', text: 'short' },
    ]);
  });
});
