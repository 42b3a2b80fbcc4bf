import { describe, expect, it } from 'vitest';
import { findQuotes, normaliseForQuote, occursInOrder, quoteFragments } from './find-quotes.ts';

describe('findQuotes', () => {
  it('finds straight, curly and angle quotes with the citations attached to them', () => {
    const text =
      'It says "returns within thirty days" [policy], then “free shipping over $50”, [2][3]. Also «ok».';
    expect(findQuotes(text).map((q) => [q.text, q.cited])).toEqual([
      ['returns within thirty days', ['policy']],
      ['free shipping over $50', ['2', '3']],
      ['ok', []],
    ]);
  });

  it('a citation separated by words is not attached; one inside the quote is, and is removed', () => {
    const q = findQuotes('He said "thirty days" and later [policy]. And "two years [warranty]".');
    expect(q.map((x) => [x.text, x.cited])).toEqual([
      ['thirty days', []],
      ['two years ', ['warranty']],
    ]);
  });

  it('joins consecutive blockquote lines into one span, and does not read quotes inside it again', () => {
    const text = 'The policy:\n> Items can be "returned"\n> within 30 days. [returns]\n\nThat is all.';
    const q = findQuotes(text);
    expect(q).toHaveLength(1);
    expect(q[0]?.text).toBe('Items can be "returned"\nwithin 30 days. ');
    expect(q[0]?.cited).toEqual(['returns']);
  });

  it('does not pair quotes across a blank line', () => {
    expect(findQuotes('A 15" screen.\n\nAnd a 17" one.')).toEqual([]);
  });
});

describe('quote normalisation and matching', () => {
  it('straightens quotation marks and collapses whitespace', () => {
    expect(normaliseForQuote('  it’s  “fine”\n now ')).toBe('it\'s "fine" now');
    expect(normaliseForQuote('ABC', true)).toBe('abc');
  });
  it('splits at an ellipsis and drops punctuation moved inside the quote', () => {
    expect(quoteFragments('Items can be returned … within 30 days.')).toEqual([
      'Items can be returned',
      'within 30 days',
    ]);
    expect(quoteFragments('...returned [...] within 30 days')).toEqual(['returned', 'within 30 days']);
  });
  it('fragments must occur in order', () => {
    expect(occursInOrder(['a b', 'c d'], 'x a b y c d')).toBe(true);
    expect(occursInOrder(['c d', 'a b'], 'x a b y c d')).toBe(false);
  });
});
