import { describe, expect, it } from 'vitest';
import { extractAnswer, extractionCheck } from './extract-answer.ts';

const PATTERN = 'Answer:\\s*(.*)';

describe('extractAnswer', () => {
  it('takes the first group of the last match, trimmed', () => {
    expect(extractAnswer('7 × 6: 7 × 5 = 35, plus 7.\nAnswer: 42  ', PATTERN)).toBe('42');
    // The reasoning may use the marker before the final answer.
    expect(extractAnswer('Answer: maybe 40?\nNo, recount.\nAnswer: 42\n', PATTERN)).toBe('42');
    expect(extractAnswer('Answer:\n42', PATTERN)).toBe('42');
  });

  it('without a group takes the whole match; null when nothing matches', () => {
    expect(extractAnswer('the result is 42.', '\\d+')).toBe('42');
    expect(extractAnswer('no final line', PATTERN)).toBeNull();
    expect(extractAnswer('x', 'y*')).toBe('');
  });
});

describe('extractionCheck', () => {
  it('checks see the answer; the record keeps it in details', () => {
    const r = extractionCheck('Let me think. Answer: Paris', PATTERN);
    expect(r.text).toBe('Paris');
    expect(r.check).toMatchObject({
      type: 'extract',
      pass: true,
      details: { answer: 'Paris', pattern: PATTERN },
    });
  });

  it('no match: a failing check, and the checks see the full output', () => {
    const r = extractionCheck('I think it is Paris', PATTERN);
    expect(r.text).toBe('I think it is Paris');
    expect(r.check.pass).toBe(false);
    expect(r.check.reason).toContain('no final answer');
  });
});
