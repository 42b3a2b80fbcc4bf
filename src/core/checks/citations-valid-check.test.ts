import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import type { CaseSpec, CheckSpec } from '../types.ts';
import { compileCheck } from './compile-check.ts';

const context = [
  { id: 'returns-policy', text: 'Items can be returned within 30 days.' },
  { id: 'shipping', text: 'Standard shipping takes 3 to 5 working days.' },
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

describe('citations-valid', () => {
  it('passes when every citation names a given document, by id or 1-based [n]', async () => {
    const v = await run({ type: 'citations-valid' }, 'Thirty days [returns-policy]; shipping 3–5 days [2].');
    expect(v.pass).toBe(true);
    expect(v.reason).toBe('every citation resolves: [returns-policy], [shipping]');
    expect(v.details).toMatchObject({ cited: ['returns-policy', 'shipping'], unknown: [] });
  });

  it('fails on an invented id or an out-of-range number, naming them', async () => {
    const v = await run({ type: 'citations-valid' }, 'Thirty days [returns-policy] [faq-9] [3].');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('cites [faq-9], [3], not among the 2 given documents');
    expect(v.details).toMatchObject({ unknown: ['faq-9', '3'], documents: ['returns-policy', 'shipping'] });
  });

  it('an answer without citations passes, unless require: true', async () => {
    expect((await run({ type: 'citations-valid' }, 'I do not know.')).pass).toBe(true);
    const v = await run({ type: 'citations-valid', require: true }, 'Thirty days. [see above]');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('no citation (require: true)');
  });

  it('needs context documents, and says so', async () => {
    // A check that cannot run throws; run-checks turns that into an `error` result, not a failure.
    await expect(async () =>
      run({ type: 'citations-valid' }, 'x [1]', tc({ context: undefined })),
    ).rejects.toThrow("citations-valid: case 'c1' has no context documents");
  });

  it('rejects a non-boolean require at load time', () => {
    expect(() => compileCheck({ type: 'citations-valid', require: 'yes' }, env)).toThrow(ConfigError);
    expect(() => compileCheck({ type: 'citations-valid', require: 'yes' }, env)).toThrow(
      /cases\[0\]\.checks\[0\]\.require/,
    );
  });
});
