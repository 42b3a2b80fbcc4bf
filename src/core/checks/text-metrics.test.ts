import { describe, expect, it } from 'vitest';
import golden from '../../../test/golden/text-metrics.json' with { type: 'json' };
import { metricTokens } from './metric-tokens.ts';
import { lcsLength, rougeL } from './rouge-l.ts';
import { sentenceBleu } from './sentence-bleu.ts';

// Golden values: test/golden/make-text-metrics-golden.py (NLTK for BLEU, an independent LCS for ROUGE-L).
describe('rougeL (golden)', () => {
  it('covers at least 6 inputs', () => expect(golden.rougeL.length).toBeGreaterThanOrEqual(6));
  for (const g of golden.rougeL) {
    it(g.name, () => {
      const s = rougeL(metricTokens(g.candidate), metricTokens(g.reference));
      expect(Math.abs(s.precision - g.precision)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(s.recall - g.recall)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(s.fmeasure - g.fmeasure)).toBeLessThanOrEqual(1e-9);
    });
  }
});

describe('sentenceBleu (golden, NLTK method1)', () => {
  it('covers at least 6 inputs', () => expect(golden.bleu.length).toBeGreaterThanOrEqual(6));
  for (const g of golden.bleu) {
    it(g.name, () => {
      const score = sentenceBleu(g.references.map(metricTokens), metricTokens(g.hypothesis));
      expect(Math.abs(score - g.score)).toBeLessThanOrEqual(1e-9);
    });
  }

  it('needs a reference', () => {
    expect(() => sentenceBleu([], ['a'])).toThrow(RangeError);
  });
});

describe('metricTokens and lcsLength', () => {
  it('lowercases and splits on anything that is not a letter or digit', () => {
    expect(metricTokens("Refund, PLEASE! it's #123_ok café")).toEqual([
      'refund',
      'please',
      'it',
      's',
      '123',
      'ok',
      'café',
    ]);
    expect(metricTokens('  ...  ')).toEqual([]);
  });

  it('computes the LCS length', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['b', 'd'])).toBe(2);
    expect(lcsLength([], ['a'])).toBe(0);
    expect(lcsLength(['x', 'a', 'y', 'b'], ['a', 'b', 'x'])).toBe(2);
  });
});
