import { describe, expect, it } from 'vitest';
import { parseProposal, unverifiedQuotes } from './parse-proposal.ts';

describe('parseProposal', () => {
  it('reads a fenced JSON answer', () => {
    const p = parseProposal(
      'Here:\n```json\n{"diagnosis":"d","evidence":["q"],"hypothesis":"h","edit":{"kind":"clarify-format","text":"Use JSON."},"predictedFixes":["c1"]}\n```',
    );
    expect(p.edit).toEqual({ kind: 'clarify-format', text: 'Use JSON.' });
    expect(p.predictedFixes).toEqual(['c1']);
  });

  it('rejects prose, broken JSON, missing fields and unknown edit kinds with a reason', () => {
    expect(() => parseProposal('I think you should rewrite it')).toThrow(/JSON object/);
    expect(() => parseProposal('{"diagnosis": ')).toThrow(/JSON object|does not parse/);
    expect(() =>
      parseProposal('{"diagnosis":"d","evidence":[],"edit":{"kind":"add-constraint","text":"x"}}'),
    ).toThrow(/hypothesis/);
    expect(() =>
      parseProposal('{"diagnosis":"d","hypothesis":"h","edit":{"kind":"rewrite","text":"x"}}'),
    ).toThrow(/not one of/);
  });
});

describe('unverifiedQuotes', () => {
  it('keeps only quotes that occur literally (whitespace aside) in a source', () => {
    const sources = ['We can help with your\nrefund. Please contact us.', '- Be polite.'];
    expect(unverifiedQuotes(['help with your refund.', 'Be polite.'], sources)).toEqual([]);
    expect(unverifiedQuotes(['the model says no', ' '], sources)).toEqual(['the model says no', ' ']);
  });
});
