import { afterEach, describe, expect, it } from 'vitest';
import { Budget, cleanupFixtures, insideOutput, judgeFixture, judgeResult } from './judge-fixture.ts';

/**
 * `scoring: probability` (G-Eval): the 1-5 score is Σ p(s)·s over the score digit's token
 * probabilities, asked for through ctx.services and kept in the cache; without log-probabilities the
 * sampled digit is used and the details say so.
 */

afterEach(cleanupFixtures);

const REPLY = '{"reasoning": "ok", "score": 4}';
const PREFIX = '{"reasoning": "ok", "score": ';

/** A scripted rule answering REPLY with the score token's alternatives `top` (probabilities). */
function logprobRule(word: string, top: Record<string, number>): string {
  const lp = Object.entries(top)
    .map(([t, p]) => `'${t}': ${Math.log(p)}`)
    .join(', ');
  return [
    `  - match: '${insideOutput(word).replaceAll("'", "''")}'`,
    `    reply: ${JSON.stringify(REPLY)}`,
    '    logprobs:',
    `      - { token: ${JSON.stringify(PREFIX)} }`,
    `      - { token: '4', top: { ${lp} } }`,
    `      - { token: '}' }`,
  ].join('\n');
}

const SCRIPT = [
  'rules:',
  logprobRule('confident', { '3': 0.2, '4': 0.5, '5': 0.3 }),
  logprobRule('hesitant', { '3': 0.6, '4': 0.4 }),
  `default: ${JSON.stringify(REPLY)}`,
  '',
].join('\n');

const JUDGE = '---\nmodel: fake:g\nscale: 1-5\nscoring: probability\n---\nRate the answer.\n';

function suite(cases: Record<string, string>): string {
  const lines = [
    'name: main',
    'defaults:',
    '  checks:',
    '    - { type: judge, judge: g.judge.md }',
    'cases:',
  ];
  for (const [id, answer] of Object.entries(cases))
    lines.push(`  - id: ${id}`, `    vars: { answer: ${JSON.stringify(answer)} }`);
  return `${lines.join('\n')}\n`;
}

describe('probability-weighted judge scores', () => {
  it('weights the score by the digit probabilities; passes on the weighted score; cached answers keep them', async () => {
    const f = await judgeFixture({
      judges: { g: SCRIPT },
      files: {
        'g.judge.md': JUDGE,
        'main.yaml': suite({ a: 'a confident answer', b: 'a hesitant answer', c: 'no logprobs here' }),
      },
      suites: ['main.yaml'],
    });
    const first = await f.run('main', new Budget({}));
    const rows = first.results.map((r) => {
      const j = judgeResult(r);
      return [
        r.caseId,
        r.status,
        j.details?.rawScore,
        j.details?.weightedScore,
        j.details?.probabilityWeighted,
      ];
    });
    // a: 0.2·3 + 0.5·4 + 0.3·5 = 4.1 ≥ 4; b: 0.6·3 + 0.4·4 = 3.4 < 4 although the sampled digit is 4.
    expect(rows).toEqual([
      ['a', 'pass', 4, expect.closeTo(4.1, 12), true],
      ['b', 'fail', 4, expect.closeTo(3.4, 12), true],
      ['c', 'pass', 4, undefined, false],
    ]);
    const a = judgeResult(first.results[0] as never);
    expect(a.score).toBeCloseTo((4.1 - 1) / 4, 12);
    expect(a.details?.distribution).toEqual({
      '1': 0,
      '2': 0,
      '3': expect.closeTo(0.2, 12),
      '4': expect.closeTo(0.5, 12),
      '5': expect.closeTo(0.3, 12),
    });
    expect(a.reason).toBe('g: pass (4.10/5 probability-weighted; sampled 4): ok');
    const c = judgeResult(first.results[2] as never);
    expect(c.score).toBe(0.75);
    expect(c.reason).toBe(
      'g: pass (4/5; sampled score, not probability-weighted: no log-probabilities in the reply): ok',
    );

    const second = await f.run('main');
    const b2 = judgeResult(second.results[1] as never);
    expect(b2.details?.judgeCached).toBe(true);
    expect(b2.details?.weightedScore).toBeCloseTo(3.4, 12);
    expect(second.results[1]?.status).toBe('fail');
  });

  it('scoring: probability needs scale 1-5 (config error with file and line)', async () => {
    await expect(
      judgeFixture({
        judges: { g: SCRIPT },
        files: {
          'g.judge.md': '---\nmodel: fake:g\nscoring: probability\n---\nRate.\n',
          'main.yaml': suite({ a: 'x' }),
        },
        suites: ['main.yaml'],
      }),
    ).rejects.toThrow(
      /g\.judge\.md:3:\d+: scoring: scoring 'probability' needs scale '1-5', not 'pass-fail'/,
    );
  });
});
