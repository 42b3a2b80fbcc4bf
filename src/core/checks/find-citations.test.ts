import { describe, expect, it } from 'vitest';
import { findCitations } from './find-citations.ts';

describe('findCitations', () => {
  it('accepts [id], [n], grouped, footnote and lenticular forms, deduplicated in order', () => {
    expect(findCitations('A [doc-7]. B [1, 3]. C [doc-1; doc-2] D [^4] E 【kb:12】 again [doc-7]')).toEqual([
      'doc-7',
      '1',
      '3',
      'doc-1',
      'doc-2',
      '4',
      'kb:12',
    ]);
  });

  it('ignores Markdown links, prose in brackets and empty brackets', () => {
    expect(findCitations('[the docs](https://x.y) [see above] [] [ ] [a, b c]')).toEqual([]);
  });
});
