import { describe, expect, it } from 'vitest';
import type { CaseSpec, CheckSpec } from '../types.ts';
import { compileCheck } from './compile-check.ts';

const tc: CaseSpec = { id: 'c1', vars: {}, checks: [], tags: [] };
const env = { where: { file: 'suite.yaml', line: 3, field: 'cases[0].checks[0]' } };
const run = (spec: CheckSpec, text: string) =>
  compileCheck(spec, env)({ text, toolCalls: [], latencyMs: 1, usage: {}, cost: 0 }, tc, {
    prompt: { name: 'p', file: 'p', version: 'v', canonical: '', settings: {}, variables: {}, messages: [] },
    messages: [],
    modelId: 'fake:x',
  });
const check = { type: 'abstains' };

describe('abstains', () => {
  it.each([
    "I don't know based on the provided documents.",
    'I do not know.',
    'I’m sorry, I cannot find that in the documents.',
    'The provided documents do not mention the opening hours.',
    'That information is not mentioned in the context.',
    'There is not enough information to answer.',
    'I was unable to determine the price from these sources.',
    "I don't have information about gift cards.",
    'The context does not contain details on international shipping.',
    'There is no information about gift cards.',
    "The documents don't have enough information to say.",
  ])('passes on an abstention: %s', async (text) => {
    const v = await run(check, text);
    expect(v.pass).toBe(true);
    expect(v.reason).toMatch(/^abstains: '/);
  });

  it.each([
    'You can return items within 30 days [returns].',
    'Gift cards never expire [gift-cards].',
    "I know the answer: 30 days. Don't hesitate to ask more.",
    "I can't help with that.", // a refusal is not an abstention for lack of information
  ])('fails on an answer: %s', async (text) => {
    const v = await run(check, text);
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^answers instead of abstaining/);
  });

  it('not: true is the must-answer case', async () => {
    expect((await run({ ...check, not: true }, 'Within 30 days [returns].')).pass).toBe(true);
    const v = await run({ ...check, not: true }, "I don't know.");
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("not: abstains: 'i don't know'");
  });

  it('extra phrases are normalised like the built-ins; a pattern is matched on the raw output', async () => {
    expect((await run({ ...check, phrases: ['No lo sé'] }, 'No lo sé.')).pass).toBe(true);
    expect((await run({ ...check, phrases: 'beyond my sources' }, 'That is Beyond  my sources.')).pass).toBe(
      true,
    );
    expect((await run({ ...check, pattern: '^N/A$', flags: 'm' }, 'Answer:\nN/A')).pass).toBe(true);
    expect((await run({ ...check, pattern: '^N/A$' }, 'Answer: N/A')).pass).toBe(false);
  });

  it('rejects a bad pattern, bad flags, or flags without a pattern', () => {
    expect(() => compileCheck({ type: 'abstains', pattern: '(' }, env)).toThrow(
      /pattern: invalid regular expression/,
    );
    expect(() => compileCheck({ type: 'abstains', pattern: 'x', flags: 'gg' }, env)).toThrow(/flags/);
    expect(() => compileCheck({ type: 'abstains', flags: 'i' }, env)).toThrow(/'flags' without 'pattern'/);
  });
});
