import { describe, expect, it } from 'vitest';
import type { PromptSpec } from '../types.ts';
import { caseVars } from './case-vars.ts';
import { renderCase } from './render-case.ts';

const docs = [
  { id: 'policy', text: 'Refunds within 30 days.' },
  { id: 'faq', text: 'Shipping takes 3 days.' },
];

describe('caseVars', () => {
  it('adds the case context as `context` unless the case sets it', () => {
    expect(caseVars({ vars: { q: 'x' }, context: docs })).toEqual({ q: 'x', context: docs });
    expect(caseVars({ vars: { q: 'x', context: 'mine' }, context: docs })).toEqual({
      q: 'x',
      context: 'mine',
    });
    const vars = { q: 'x' };
    expect(caseVars({ vars })).toBe(vars);
  });

  it('lets a prompt loop over the retrieved documents', () => {
    const prompt: PromptSpec = {
      name: 'rag',
      file: 'rag.prompt.md',
      version: 'v',
      variables: { question: { type: 'string' }, context: { type: 'array' } },
      settings: {},
      messages: [
        {
          role: 'user',
          content: '{% for doc in context %}[{{ doc.id }}] {{ doc.text }}\n{% endfor %}Q: {{ question }}',
        },
      ],
    } as unknown as PromptSpec;
    const [m] = renderCase(prompt, {
      id: 'c',
      vars: { question: 'How long?' },
      context: docs,
      checks: [],
      tags: [],
    });
    expect(m?.content).toBe('[policy] Refunds within 30 days.\n[faq] Shipping takes 3 days.\nQ: How long?');
  });
});
