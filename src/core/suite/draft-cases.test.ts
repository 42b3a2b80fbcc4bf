import { describe, expect, it } from 'vitest';
import type { PromptSpec } from '../types.ts';
import { buildDraftRequest, parseDrafts, screenDrafts } from './draft-cases.ts';

const prompt = {
  name: 'support',
  file: 'prompts/support.prompt.md',
  version: 'v',
  canonical: '',
  settings: {},
  variables: {
    message: { type: 'string', description: "The customer's message." },
    lang: { type: 'string', default: 'en' },
  },
  messages: [
    { role: 'system', content: 'You are a support bot.' },
    { role: 'user', content: '{{ message }}' },
  ],
} as PromptSpec;

describe('buildDraftRequest', () => {
  it('shows the template, variables, category meaning, description and examples, and asks for JSON', () => {
    const [system, user] = buildDraftRequest({
      prompt,
      category: 'adversarial',
      count: 3,
      description: 'refund abuse',
      examples: [{ vars: { message: 'hi' }, metadata: { why: 'greeting' } }],
    });
    expect(system?.role).toBe('system');
    const text = user?.content ?? '';
    expect(text).toContain('{{ message }}');
    expect(text).toContain("- message: a string (required) — The customer's message.");
    expect(text).toContain('- lang: a string (optional)');
    expect(text).toContain('Write 3 new test cases of category "adversarial": inputs that try to make');
    expect(text).toContain('What they should probe: refund abuse');
    expect(text).toContain('{"vars":{"message":"hi"},"why":"greeting"}');
    expect(text).toMatch(/Reply with a JSON array only/);
  });
});

describe('parseDrafts', () => {
  it('reads a bare array, a fenced one, one inside prose, or {cases: [...]}', () => {
    const a = '[{"vars": {"message": "x"}, "why": " w ", "expected": null}]';
    for (const text of [a, `Sure!\n\`\`\`json\n${a}\n\`\`\`\nDone.`, `Here: ${a} — enjoy`, `{"cases": ${a}}`])
      expect(parseDrafts(text)).toEqual({ drafts: [{ vars: { message: 'x' }, why: 'w' }], problems: [] });
  });

  it('reports items that are not cases and replies that hold none', () => {
    expect(parseDrafts('[1, {"why": "no vars"}, {"vars": {"m": 1}}]')).toEqual({
      drafts: [{ vars: { m: 1 } }],
      problems: ['draft 1 is not an object', 'draft 2 has no "vars" object'],
    });
    expect(parseDrafts('I cannot help with that.').problems).toEqual([
      'the reply holds no JSON array of cases',
    ]);
    expect(parseDrafts('{"a": 1}').problems).toEqual(['the reply is JSON but not an array of cases']);
  });
});

describe('screenDrafts', () => {
  const existing = [{ id: 'refund', vars: { message: 'Can I get my money back?' } }];
  const screen = (messages: Record<string, unknown>[], similarity?: number) =>
    screenDrafts({
      drafts: messages.map((vars) => ({ vars, why: 'because' })),
      prompts: [prompt],
      existing,
      category: 'edge',
      model: 'fake:drafter',
      ...(similarity !== undefined ? { similarity } : {}),
    });

  it('drops exact and near-duplicates of the suite and of earlier drafts, and invalid drafts', () => {
    const got = screen([
      { message: 'Can I get my money back?' },
      { message: 'can I get my money back please' },
      { message: 'My order arrived in 37 pieces' },
      { message: 'My order arrived in 37 pieces' },
      { message: 'my order arrived in 37 pieces!' },
      { msg: 'typo' },
      { message: 'Ich möchte mein Geld zurück', lang: 'de' },
    ]);
    expect(got.map((d) => d.dropped ?? 'kept')).toEqual([
      'duplicate',
      'near-duplicate',
      'kept',
      'duplicate',
      'near-duplicate',
      'invalid',
      'kept',
    ]);
    expect(got[0]?.similarTo).toBe('refund');
    expect(got[1]).toMatchObject({ similarTo: 'refund', similarity: 5 / 6 });
    expect(got[3]?.similarTo).toMatch(/^draft 3 \(gen-edge-[0-9a-f]{8}\)$/);
    expect(got[5]?.reason).toMatch(/does not set variable 'message'/);
    expect(got[2]?.case).toEqual({
      id: expect.stringMatching(/^gen-edge-[0-9a-f]{8}$/),
      category: 'edge',
      tags: ['generated'],
      review: 'unreviewed',
      vars: { message: 'My order arrived in 37 pieces' },
      metadata: { why: 'because', generatedBy: 'fake:drafter' },
    });
  });

  it('a stricter threshold keeps a near-duplicate', () => {
    expect(screen([{ message: 'can I get my money back please' }], 0.9)[0]?.case).toBeDefined();
  });
});
