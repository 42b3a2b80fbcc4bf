import { describe, expect, it } from 'vitest';
import type { CaseSpec, CheckSpec } from '../types.ts';
import { compileCheck } from './compile-check.ts';

const context = [
  {
    id: 'warranty',
    text: 'The warranty covers manufacturing defects\nfor two years from delivery. It does not cover accidental damage.',
  },
  {
    id: 'returns',
    text: 'Items can be returned within 30 days of delivery. Refunds are issued to the original payment method.',
  },
];
const tc = (extra: Partial<CaseSpec> = {}): CaseSpec => ({
  id: 'c1',
  vars: {},
  checks: [],
  tags: [],
  context,
  ...extra,
});
const env = { where: { file: 'suite.yaml', line: 3, field: 'cases[0].checks[0]' } };
const run = (spec: CheckSpec, text: string, testCase = tc()) =>
  compileCheck(spec, env)({ text, toolCalls: [], latencyMs: 1, usage: {}, cost: 0 }, testCase, {
    prompt: { name: 'p', file: 'p', version: 'v', canonical: '', settings: {}, variables: {}, messages: [] },
    messages: [],
    modelId: 'fake:x',
  });
const check = { type: 'quotes-grounded' };

describe('quotes-grounded', () => {
  it('passes when a quote occurs in the cited document, across line breaks and quote styles', async () => {
    const v = await run(
      check,
      'The warranty “covers manufacturing defects for two years from delivery.” [warranty]',
    );
    expect(v.pass).toBe(true);
    expect(v.reason).toBe('1 quote found in the context');
  });

  it('fails when one word of the quote is altered', async () => {
    const v = await run(
      check,
      'The warranty "covers manufacturing defects for three years from delivery" [warranty].',
    );
    expect(v.pass).toBe(false);
    expect(v.reason).toBe(
      "1 of 1 quote not grounded: 'covers manufacturing defects for three years from delivery' (not in the cited [warranty] nor any other document)",
    );
    expect(v.details?.ungrounded).toEqual(['covers manufacturing defects for three years from delivery']);
  });

  it('fails a real quote attributed to the wrong document, saying where it is', async () => {
    const v = await run(check, '"Items can be returned within 30 days of delivery" [1]');
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/not in the cited \[1\], but in \[returns\]/);
  });

  it('an uncited quote may come from any document; [n] citations resolve', async () => {
    expect((await run(check, 'Policy: "Refunds are issued to the original payment method."')).pass).toBe(
      true,
    );
    expect((await run(check, '"Refunds are issued to the original payment method" [2]')).pass).toBe(true);
  });

  it('a quote cited to a document that does not exist is ungrounded', async () => {
    const v = await run(check, '"Refunds are issued to the original payment method" [faq]');
    expect(v.reason).toMatch(/cited \[faq\], not a given document/);
  });

  it('checks blockquotes and allows an ellipsis for an omission, in order', async () => {
    expect(
      (
        await run(
          check,
          '> The warranty covers manufacturing defects … It does not cover accidental damage.\n[warranty]',
        )
      ).pass,
    ).toBe(true);
    const reordered = await run(
      check,
      '> It does not cover accidental damage … The warranty covers manufacturing defects',
    );
    expect(reordered.pass).toBe(false);
  });

  it('ignores quotes shorter than minLength (default 20), and is case-sensitive unless ignoreCase', async () => {
    const short = await run(check, 'We call it "the policy" here.');
    expect(short).toMatchObject({ pass: true, reason: 'no quotes of ≥ 20 characters' });
    expect((await run({ ...check, minLength: 5 }, 'We call it "the policy" here.')).pass).toBe(false);
    const cased = '"ITEMS CAN BE RETURNED within 30 days"';
    expect((await run(check, cased)).pass).toBe(false);
    expect((await run({ ...check, ignoreCase: true }, cased)).pass).toBe(true);
  });

  it('lists every ungrounded quote among several', async () => {
    const v = await run(
      check,
      '"Items can be returned within 30 days of delivery" [returns]. "Refunds are issued in cash at any store" [returns].',
    );
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^1 of 2 quotes not grounded: 'Refunds are issued in cash/);
  });

  it('rejects a bad minLength', () => {
    expect(() => compileCheck({ type: 'quotes-grounded', minLength: 0 }, env)).toThrow(/minLength/);
  });
});
