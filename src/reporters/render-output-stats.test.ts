import { describe, expect, it } from 'vitest';
import { compileSchema } from '../core/checks/compile-schema.ts';
import { paraphraseConsistency } from '../core/stats/paraphrase-consistency.ts';
import { structuredFunnel } from '../core/stats/structured-funnel.ts';
import { funnelLine, renderConsistency, renderStructured } from './render-output-stats.ts';

const compiled = compileSchema({ type: 'object', required: ['a'], properties: { a: { type: 'string' } } });
if (!compiled.ok) throw new Error(compiled.error);
const group = { prompt: 'p', promptVersion: 'v1', modelId: 'fake:x' };

describe('render-output-stats', () => {
  it('prints the funnel on one line with each stage over the stage before it', () => {
    const f = structuredFunnel(group, compiled.validate, [
      { result: { status: 'fail', output: 'I cannot help with that.' } },
      { result: { status: 'fail', output: '{"a": "x', finishReason: 'length' } },
      { result: { status: 'fail', output: 'nope' } },
      { result: { status: 'fail', output: '{"b": 1}' } },
      { result: { status: 'pass', output: '{"a": "X "}' }, expected: { a: 'x' } },
      { result: { status: 'pass', output: '{"a": "y"}' }, expected: { a: 'x' } },
    ]);
    // 6 responses; JSON 3 of the 4 left; schema 2 of 3 (Wilson 2/3 = [20.8, 93.9]); fields 1 of 2.
    expect(funnelLine(f)).toBe(
      'responses 6 → refused 1 → truncated 1 → JSON 3 (75.0% [30.1, 95.4]) → schema 2 (66.7% [20.8, 93.9]) → fields 50.0% micro / 50.0% macro, exact 50.0% [9.5, 90.5] (2 compared)',
    );
    const text = renderStructured(f).join('\n');
    expect(text).toContain('schema errors (outputs with each keyword): required 1');
    expect(text).toContain('weakest   /a 50.0% (1 wrong, 0 missing)');
  });

  it('says when no output could be compared with an expected object, and strips control characters', () => {
    const f = structuredFunnel({ ...group, modelId: 'fake:\u001b[31mred' }, compiled.validate, [
      { result: { status: 'pass', output: '{"a": "x"}' } },
    ]);
    expect(funnelLine(f)).toMatch(/→ fields — \(no expected object to compare with\)$/);
    expect(renderStructured(f).join('\n')).not.toContain('\u001b[31m');
  });

  it('prints agreement, flip rate, spread and the disagreeing clusters', () => {
    const c = paraphraseConsistency([
      { caseId: 'a', cluster: 'X', passed: 1, scored: 1 },
      { caseId: 'b', cluster: 'X', passed: 0, scored: 1 },
      { caseId: 'c', cluster: 'Y', passed: 1, scored: 1 },
      { caseId: 'd', cluster: 'Y', passed: 1, scored: 1 },
    ]);
    if (!c) throw new Error('expected consistency');
    const lines = renderConsistency({ ...group, ...c });
    expect(lines[1]).toBe(
      '  agreement 1/2 clusters (50.0% [9.5, 90.5] Wilson) · flip rate 50.0% of 2 pairs · mean spread 0.50 · 4 cases',
    );
    expect(lines[2]).toBe('  disagree  X (2 cases, 50.0% pass)');
  });
});
