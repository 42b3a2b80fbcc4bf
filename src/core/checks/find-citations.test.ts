import { describe, expect, it } from 'vitest';
import { findCitationMarkers, findCitations, resolveCitations } from './find-citations.ts';

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

describe('findCitationMarkers and resolveCitations', () => {
  it('gives each marker with its position', () => {
    const text = 'A [doc-1, 2] b 【x】';
    expect(findCitationMarkers(text)).toEqual([
      { ids: ['doc-1', '2'], start: 2, end: 12 },
      { ids: ['x'], start: 15, end: 18 },
    ]);
  });

  it('resolves an exact id first, then 1-based [n]; reports the rest as unknown', () => {
    const context = [
      { id: 'a', text: '' },
      { id: '2', text: '' },
      { id: 'c', text: '' },
    ];
    // '2' is a document id, so it names that document, not the second one; '3' is the third.
    expect(resolveCitations(['3', '2', 'a', '1', '4', 'zz', '4'], context)).toEqual({
      cited: ['c', '2', 'a'],
      unknown: ['4', 'zz'],
    });
    expect(resolveCitations(['x', 'x'])).toEqual({ cited: ['x'], unknown: [] });
  });
});
