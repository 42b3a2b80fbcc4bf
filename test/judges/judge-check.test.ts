import { afterEach, describe, expect, it } from 'vitest';
import {
  Budget,
  cleanupFixtures,
  insideOutput,
  judgeFixture,
  judgeResult,
  OBEDIENT_JUDGE,
  rule,
  script,
} from './judge-fixture.ts';

/**
 * The `judge` check end to end: judge files loaded by the project loader, the judge model called through
 * the engine (fake scripted judges), verdicts, scales, parse failures and the budget.
 */

afterEach(cleanupFixtures);

const REFUND_JUDGE = [
  '---',
  'model: fake:judge',
  '---',
  'The reply must offer the customer a refund.',
  '',
].join('\n');

function suite(name: string, judgeFile: string, cases: Record<string, string>): string {
  const lines = [
    `name: ${name}`,
    'defaults:',
    '  checks:',
    '    - type: judge',
    `      judge: ${judgeFile}`,
    'cases:',
  ];
  for (const [id, answer] of Object.entries(cases))
    lines.push(`  - id: ${id}`, `    vars: { answer: ${JSON.stringify(answer)} }`);
  return `${lines.join('\n')}\n`;
}

describe('judge check: pass/fail', () => {
  it('passes and fails by the judge verdict, with reasoning and judge details', async () => {
    const f = await judgeFixture({
      judges: { judge: OBEDIENT_JUDGE },
      files: {
        'judges/refund.judge.md': REFUND_JUDGE,
        'main.yaml': suite('main', 'judges/refund.judge.md', {
          good: 'We are sorry. We will refund you in full.',
          bad: 'Please read our policy.',
        }),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    const byId = new Map(results.map((r) => [r.caseId, r]));
    expect(byId.get('good')?.status).toBe('pass');
    expect(byId.get('bad')?.status).toBe('fail');
    const good = judgeResult(byId.get('good') as never);
    expect(good.reason).toBe('refund: pass: offers a refund');
    expect(good.details).toMatchObject({
      judge: 'refund',
      judgeModel: 'fake:judge',
      reasoning: 'offers a refund',
    });
    expect(good.details?.judgeVersion).toMatch(/^[0-9a-f]{12}$/);
  });

  it('caches judge calls and records their cost in the run budget', async () => {
    const f = await judgeFixture({
      judges: { judge: OBEDIENT_JUDGE },
      files: {
        'judges/refund.judge.md': REFUND_JUDGE,
        'main.yaml': suite('main', 'judges/refund.judge.md', { good: 'A refund is on its way.' }),
        'prices.yaml': '"fake:judge": { input: 1000000, output: 1000000 }\n',
      },
      suites: ['main.yaml'],
      extraConfig: ['prices: prices.yaml'],
    });
    const first = new Budget({ cap: 1e9 });
    const a = await f.run('main', first);
    expect(a.results[0]?.status).toBe('pass');
    expect(first.spent).toBeGreaterThan(0);
    expect(judgeResult(a.results[0] as never).details?.judgeCached).toBe(false);
    const second = new Budget({ cap: 1e9 });
    const b = await f.run('main', second);
    expect(judgeResult(b.results[0] as never).details?.judgeCached).toBe(true);
    expect(second.spent).toBe(0);
  });

  it('does not call the judge over budget: the check is an error, not a verdict', async () => {
    const f = await judgeFixture({
      judges: { judge: OBEDIENT_JUDGE },
      files: {
        'judges/refund.judge.md': REFUND_JUDGE,
        'main.yaml': suite('main', 'judges/refund.judge.md', { good: 'A refund is on its way.' }),
        'prices.yaml': '"fake:judge": { input: 1000000, output: 1000000 }\n',
      },
      suites: ['main.yaml'],
      extraConfig: ['prices: prices.yaml'],
    });
    const { results } = await f.run('main', new Budget({ cap: 0.000001 }));
    expect(results[0]?.status).toBe('error');
    expect(results[0]?.error?.message).toContain('over budget');
  });
});

describe('judge check: scales', () => {
  it('1-5 with a pass threshold: score scaled to [0, 1], pass at or above the threshold', async () => {
    const scorer = script(
      [
        rule(insideOutput('excellent'), JSON.stringify({ reasoning: 'great', score: 5 })),
        rule(insideOutput('decent'), JSON.stringify({ reasoning: 'fine', score: 3 })),
      ],
      JSON.stringify({ reasoning: 'poor', score: 1 }),
    );
    const f = await judgeFixture({
      judges: { scorer },
      files: {
        'quality.judge.md': '---\nmodel: fake:scorer\nscale: 1-5\npassThreshold: 3\n---\nRate the quality.\n',
        'main.yaml': suite('main', 'quality.judge.md', {
          a: 'An excellent answer.',
          b: 'A decent answer.',
          c: 'Meh.',
        }),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    expect(results.map((r) => [r.caseId, r.status, judgeResult(r).score])).toEqual([
      ['a', 'pass', 1],
      ['b', 'pass', 0.5],
      ['c', 'fail', 0],
    ]);
    expect(judgeResult(results[0] as never).details?.rawScore).toBe(5);
  });

  it('checklist: points of the met criteria against passThreshold', async () => {
    const lister = script(
      [
        rule(
          insideOutput('sorry[\\s\\S]*refund'),
          JSON.stringify({ reasoning: 'r', criteria: [true, true, false] }),
        ),
        rule(insideOutput('refund'), JSON.stringify({ reasoning: 'r', criteria: [true, false, false] })),
      ],
      JSON.stringify({ reasoning: 'r', criteria: [false, false, false] }),
    );
    const judge = [
      '---',
      'model: fake:lister',
      'scale: checklist',
      'passThreshold: 0.75',
      'criteria:',
      '  - { text: Offers a refund, points: 2 }',
      '  - { text: Apologises }',
      '  - { text: Gives a timeline }',
      '---',
      'Check each criterion.',
      '',
    ].join('\n');
    const f = await judgeFixture({
      judges: { lister },
      files: {
        'list.judge.md': judge,
        'main.yaml': suite('main', 'list.judge.md', {
          a: 'We are sorry; here is a refund.',
          b: 'Here is a refund.',
          c: 'No.',
        }),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    expect(results.map((r) => [r.caseId, r.status, judgeResult(r).score])).toEqual([
      ['a', 'pass', 0.75],
      ['b', 'fail', 0.5],
      ['c', 'fail', 0],
    ]);
    expect(judgeResult(results[0] as never).details?.criteria).toEqual([true, true, false]);
  });
});

describe('judge check: unusable judge replies are errors, never passes', () => {
  const replies: Record<string, string> = {
    prose: 'PASS',
    'prose-around-json': 'Sure! {"reasoning": "ok", "verdict": "pass"}',
    'verdict-first': '{"verdict": "pass", "reasoning": "ok"}',
    'out-of-scale': '{"reasoning": "ok", "verdict": "yes"}',
    'extra-key': '{"reasoning": "ok", "verdict": "pass", "confidence": 1}',
  };
  for (const [name, reply] of Object.entries(replies)) {
    it(`${name}`, async () => {
      const f = await judgeFixture({
        judges: { judge: script([], reply) },
        files: {
          'judges/refund.judge.md': REFUND_JUDGE,
          'main.yaml': suite('main', 'judges/refund.judge.md', { good: 'A refund is on its way.' }),
        },
        suites: ['main.yaml'],
      });
      const { results } = await f.run('main');
      expect(results[0]?.status).toBe('error');
      expect(results[0]?.error?.kind).toBe('check');
      expect(judgeResult(results[0] as never).error).toMatch(/^judge 'refund': /);
    });
  }

  it('a fenced json block is accepted', async () => {
    const f = await judgeFixture({
      judges: { judge: script([], '```json\n{"reasoning": "ok", "verdict": "pass"}\n```') },
      files: {
        'judges/refund.judge.md': REFUND_JUDGE,
        'main.yaml': suite('main', 'judges/refund.judge.md', { good: 'x' }),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    expect(results[0]?.status).toBe('pass');
  });
});

describe('judge check: loading', () => {
  it('an unconfigured judge model is a config error at load time', async () => {
    await expect(
      judgeFixture({
        judges: {},
        files: {
          'judges/refund.judge.md': REFUND_JUDGE,
          'main.yaml': suite('main', 'judges/refund.judge.md', { good: 'x' }),
        },
        suites: ['main.yaml'],
      }),
    ).rejects.toThrow(
      /main\.yaml:\d+:\d+: defaults\.checks\[0\]\.judge: judge 'refund' uses model fake:judge, which is not configured/,
    );
  });

  it('a missing judge file names the suite line', async () => {
    await expect(
      judgeFixture({
        judges: { judge: OBEDIENT_JUDGE },
        files: { 'main.yaml': suite('main', 'judges/nope.judge.md', { good: 'x' }) },
        suites: ['main.yaml'],
      }),
    ).rejects.toThrow(/main\.yaml:\d+.*judges\/nope\.judge\.md/);
  });

  it('a bad judge file is a config error with its own file and line', async () => {
    await expect(
      judgeFixture({
        judges: { judge: OBEDIENT_JUDGE },
        files: {
          'bad.judge.md': '---\nmodel: fake:judge\nscale: 1-10\n---\nRubric.\n',
          'main.yaml': suite('main', 'bad.judge.md', { good: 'x' }),
        },
        suites: ['main.yaml'],
      }),
    ).rejects.toThrow(/bad\.judge\.md:3:\d+: scale:/);
  });
});
