import { describe, expect, it } from 'vitest';
import { checkEdit, copiedSuiteText, normalizePromptText } from './edit-guards.ts';

const before = `---
name: t
variables:
  message:
    type: string
---
# system
Be helpful.

# user
{{ message }}
`;
const suite = [
  {
    caseId: 'c1',
    split: 'dev' as const,
    inputs: ['My lamp arrived broken and I want my money back'],
    expected: [],
  },
  { caseId: 't1', split: 'test' as const, inputs: ['hello'], expected: ['Refunds take thirty days'] },
];
const base = { before, initial: before, file: 'prompts/t.prompt.md', suite, seen: new Set<string>() };

describe('checkEdit', () => {
  it('passes a general rule', () => {
    expect(
      checkEdit({ ...base, after: before.replace('Be helpful.', 'Be helpful.\nName the refund window.') }),
    ).toEqual([]);
  });

  it('refuses a lost template variable and an undeclared one', () => {
    const lost = checkEdit({ ...base, after: before.replace('{{ message }}', 'message') });
    expect(lost.map((v) => v.guard)).toContain('variables');
    const bad = checkEdit({ ...base, after: before.replace('Be helpful.', 'Be helpful to {{ name }}.') });
    expect(bad.map((v) => v.guard)).toEqual(['parse', 'variables']);
  });

  it('refuses copying six words of a case input, or a whole expected value of three words or more', () => {
    const copied = checkEdit({
      ...base,
      after: before.replace('Be helpful.', 'If the lamp arrived broken and I want money back, refund.'),
    });
    expect(copied.map((v) => v.guard)).toEqual(['copies-suite']);
    expect(copied[0]?.message).toContain('case c1');
    expect(copied[0]?.public).not.toContain('c1');
    expect(
      copiedSuiteText(before, before.replace('Be helpful.', 'Say: refunds take thirty days.'), suite, 6)
        ?.caseId,
    ).toBe('t1');
    // Words the prompt already had do not count.
    expect(
      copiedSuiteText(before, before.replace('Be helpful.', 'Be helpful. Be kind.'), suite, 6),
    ).toBeUndefined();
  });

  it('caps growth per step and refuses unchanged or already tried prompts', () => {
    const long = checkEdit({
      ...base,
      after: before.replace('Be helpful.', `Be helpful. ${'x '.repeat(400)}`),
    });
    expect(long.map((v) => v.guard)).toEqual(['growth']);
    expect(checkEdit({ ...base, after: `${before}\n\n` }).map((v) => v.guard)).toEqual(['unchanged']);
    const after = before.replace('Be helpful.', 'Be brief.');
    expect(
      checkEdit({ ...base, after, seen: new Set([normalizePromptText(after)]) }).map((v) => v.guard),
    ).toEqual(['duplicate']);
  });
});
