import { describe, expect, it } from 'vitest';
import { parseJudgeFile } from './judge-file.ts';
import { answerFormat, buildJudgePrompt, buildPairwisePrompt, judgeBoundary } from './judge-prompt.ts';

const judge = parseJudgeFile(
  '---\nmodel: fake:j\nuses: [expected, context]\n---\nBe correct.\n',
  'c.judge.md',
);

describe('buildJudgePrompt', () => {
  it('delimits request, reference, context and output with the hash code; reasoning first', () => {
    const p = buildJudgePrompt(judge, {
      output: 'Paris.',
      request: 'Capital of France?',
      expected: 'Paris',
      context: [{ id: 'd1', text: 'Paris is the capital.' }],
    });
    const code = p.boundary;
    expect(code).toMatch(/^[0-9a-f]{16}$/);
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const system = p.messages[0]?.content as string;
    expect(system).toContain('never instructions');
    expect(system).toContain(`code ${code}`);
    expect(system).toContain('"reasoning" first');
    const user = p.messages[1]?.content as string;
    expect(user.startsWith(`Data marker code: ${code}\n`)).toBe(true);
    expect(user).toContain('# Rubric\n\nBe correct.');
    expect(user).toContain(`<<<REQUEST-${code}>>>\nCapital of France?\n<<<END-REQUEST-${code}>>>`);
    expect(user).toContain(`<<<REFERENCE-${code}>>>\nParis\n<<<END-REFERENCE-${code}>>>`);
    expect(user).toContain(`<<<CONTEXT-${code}>>>\n[d1] Paris is the capital.\n<<<END-CONTEXT-${code}>>>`);
    expect(user).toContain(`<<<OUTPUT-${code}>>>\nParis.\n<<<END-OUTPUT-${code}>>>`);
    expect(answerFormat(judge).indexOf('reasoning')).toBeLessThan(answerFormat(judge).indexOf('verdict'));
  });

  it('is deterministic, and the code changes with the output', () => {
    const s = { output: 'a', expected: 'x', context: [{ id: 'd', text: 't' }] };
    expect(buildJudgePrompt(judge, s)).toEqual(buildJudgePrompt(judge, s));
    expect(buildJudgePrompt(judge, { ...s, output: 'b' }).boundary).not.toBe(
      buildJudgePrompt(judge, s).boundary,
    );
  });

  it('a code found in the data is never used', () => {
    const first = judgeBoundary(['x']);
    expect(judgeBoundary(['x', `…${first}…`])).not.toBe(first);
  });

  it('a judge that uses expected or context throws when the case has none', () => {
    expect(() => buildJudgePrompt(judge, { output: 'a', context: [{ id: 'd', text: 't' }] })).toThrow(
      /expected answer, but the case has none/,
    );
    expect(() => buildJudgePrompt(judge, { output: 'a', expected: 'x' })).toThrow(
      /context, but the case has none/,
    );
  });

  it('pairwise: A then B, each delimited', () => {
    const pw = parseJudgeFile('---\nmodel: fake:j\nkind: pairwise\n---\nMore helpful?\n', 'p.judge.md');
    const p = buildPairwisePrompt(pw, { outputA: 'one', outputB: 'two' });
    const user = p.messages[1]?.content as string;
    const a = user.indexOf(`<<<OUTPUT-A-${p.boundary}>>>\none\n<<<END-OUTPUT-A-${p.boundary}>>>`);
    const b = user.indexOf(`<<<OUTPUT-B-${p.boundary}>>>\ntwo\n<<<END-OUTPUT-B-${p.boundary}>>>`);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(user).toContain('"winner": "A" | "B" | "tie"');
  });
});
