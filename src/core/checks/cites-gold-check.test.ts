import { describe, expect, it } from 'vitest';
import type { CaseSpec, CheckSpec } from '../types.ts';
import { compileCheck } from './compile-check.ts';

const context = [
  { id: 'policy-2023', text: 'Returns within 14 days.' },
  { id: 'policy-2024', text: 'Returns within 30 days.' },
  { id: 'shipping', text: 'Shipping takes 3 to 5 days.' },
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

describe('cites-gold', () => {
  it('passes with score 1 when exactly the gold documents are cited (ids or [n])', async () => {
    const v = await run(
      { type: 'cites-gold', ids: ['policy-2023', 'policy-2024'] },
      'They differ: 14 [1] vs 30 days [policy-2024].',
    );
    expect(v.pass).toBe(true);
    expect(v.score).toBe(1);
    expect(v.reason).toBe('cites all gold [policy-2023], [policy-2024] (precision 1, recall 1)');
  });

  it('fails when a gold document is missing; score is F1 of precision and recall', async () => {
    const v = await run(
      { type: 'cites-gold', ids: ['policy-2023', 'policy-2024'] },
      '30 days [policy-2024] [shipping].',
    );
    expect(v.pass).toBe(false);
    // P = 1/2, R = 1/2 → F1 = 1/2
    expect(v.score).toBe(0.5);
    expect(v.details).toMatchObject({
      missing: ['policy-2023'],
      extra: ['shipping'],
      precision: 0.5,
      recall: 0.5,
    });
    expect(v.reason).toBe(
      'does not cite gold [policy-2023] (precision 0.5, recall 0.5); also cites [shipping]',
    );
  });

  it('counts an unknown citation against precision', async () => {
    const v = await run(
      { type: 'cites-gold', ids: 'policy-2024' },
      '30 days [policy-2024] [faq-1] [shipping].',
    );
    expect(v.pass).toBe(true); // recall 1; minPrecision defaults to 0
    expect(v.details).toMatchObject({ precision: 1 / 3, recall: 1, unknown: ['faq-1'] });
    expect(v.score).toBeCloseTo((2 * (1 / 3)) / (1 / 3 + 1), 12);
    const strict = await run(
      { type: 'cites-gold', ids: 'policy-2024', minPrecision: 0.5 },
      '30 days [policy-2024] [faq-1] [shipping].',
    );
    expect(strict.pass).toBe(false);
    expect(strict.reason).toMatch(/^precision 0\.33 < minPrecision 0\.5/);
  });

  it('no citation at all: score 0', async () => {
    const v = await run({ type: 'cites-gold', ids: ['shipping'] }, 'Three to five days.');
    expect(v).toMatchObject({ pass: false, score: 0 });
  });

  it('a gold id that is not a document of the case is an error in the case', async () => {
    await expect(async () => run({ type: 'cites-gold', ids: ['policy-2025'] }, 'x [1]')).rejects.toThrow(
      "cites-gold: gold id 'policy-2025' is not a context document of case 'c1' (documents: policy-2023, policy-2024, shipping)",
    );
  });

  it('rejects a spec without ids or with a bad minPrecision', () => {
    expect(() => compileCheck({ type: 'cites-gold' }, env)).toThrow(/cases\[0\]\.checks\[0\]\.ids/);
    expect(() => compileCheck({ type: 'cites-gold', ids: ['a'], minPrecision: 2 }, env)).toThrow(
      /minPrecision/,
    );
  });
});
