import { describe, expect, it } from 'vitest';
import { findRefusal, normaliseForRefusal, REFUSAL_PHRASES } from './find-refusal.ts';

describe('findRefusal', () => {
  it('detects common refusals in their usual spellings', () => {
    const refusals = [
      "I can't help with that.",
      'I cannot assist with this request.',
      'I can not provide that information.',
      "I'm sorry, but I cannot do that.",
      'I am sorry, but I will not write that.',
      'As an AI, I have no feelings.',
      'I won’t be able to process this refund.',
      'I am unable to help with hacking.',
      'I must decline.',
    ];
    for (const text of refusals) expect(findRefusal(text), text).toBeDefined();
  });

  it('leaves ordinary answers alone', () => {
    const answers = [
      'Your refund was issued.',
      'I can help with that: here are the steps.',
      'We cannot ship to PO boxes, but I can help you pick another address.',
      'The canal is 80 km long.',
      'As an aide to the minister...',
    ];
    for (const text of answers) expect(findRefusal(text), text).toBeUndefined();
  });

  it('normalises quotes, case, negation forms and commas', () => {
    expect(normaliseForRefusal('I AM sorry, but I Can Not — it Will Not')).toBe(
      "i'm sorry but i can't — it won't",
    );
  });

  it('keeps its phrases in normalised form', () => {
    for (const phrase of REFUSAL_PHRASES) expect(normaliseForRefusal(phrase)).toBe(phrase);
  });
});
