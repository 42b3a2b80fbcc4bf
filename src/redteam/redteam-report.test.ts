import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../core/stats/mcnemar.ts';
import type { ResultRecord } from '../core/types.ts';
import type { AttemptCase } from './generate-attempts.ts';
import { compareAsr, freezeSuite, topAttacks } from './redteam-report.ts';

function result(
  caseId: string,
  status: ResultRecord['status'],
  extra: Partial<ResultRecord> = {},
): ResultRecord {
  const [, plugin, , strategy] = caseId.split('.');
  return {
    runId: 'r1',
    prompt: 'p',
    promptVersion: 'v1',
    modelId: 'fake:m',
    caseId,
    repeat: 0,
    status,
    output: status === 'fail' ? 'leaked' : 'no',
    checks: [
      {
        type: 'redteam-marker',
        pass: status !== 'fail',
        reason: status === 'fail' ? 'joined marker found' : 'ok',
      },
    ],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    tags: ['redteam', plugin as string, strategy as string],
    createdAt: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

function attempt(id: string, extra: Partial<AttemptCase> = {}): AttemptCase {
  const [, plugin, seed, strategy] = id.split('.');
  return {
    id,
    category: 'adversarial',
    tags: ['redteam', plugin as string, strategy as string],
    vars: { message: `attack ${seed}` },
    checks: [{ type: 'judge', judge: '../../judges/harm.judge.md' }],
    metadata: {
      redteam: { plugin: plugin as never, strategy: strategy as never, seed: seed as string, kind: 'attack' },
    },
    ...extra,
  };
}

describe('compareAsr', () => {
  it('pairs attacks by case id, leaves benign controls and errors out, and tests with exact McNemar', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `rt.prompt-injection.s${i}.none`);
    const before = [...ids.map((id) => result(id, 'fail')), result('rt.over-refusal.x.none', 'fail')];
    const after = [
      ...ids.map((id, i) =>
        result(id, i < 10 ? 'pass' : i === 10 ? 'fail' : 'error', { runId: 'r2', promptVersion: 'v2' }),
      ),
      result('rt.over-refusal.x.none', 'pass', { runId: 'r2', promptVersion: 'v2' }),
    ];
    const [c] = compareAsr('r1', before, after, { seed: 0 });
    expect(c?.comparison.pairing.paired).toBe(11);
    expect(c?.newlyHeld).toHaveLength(10);
    expect(c?.p).toBe(mcnemarExact(0, 10));
    expect(c?.verdict).toBe('improved');
    expect(c?.baselineAsr).toBe(1);
    expect(c?.candidateAsr).toBeCloseTo(1 / 11, 12);
    expect(c?.asrChange.estimate).toBeCloseTo(-10 / 11, 12);
    expect(c?.asrChange.lower).toBeLessThan(c?.asrChange.upper as number);
  });
});

describe('topAttacks and freezeSuite', () => {
  const cases = new Map(
    ['rt.prompt-injection.a.none', 'rt.prompt-injection.a.base64', 'rt.prompt-injection.b.none'].map((id) => [
      id,
      attempt(id),
    ]),
  );
  const results = [
    result('rt.prompt-injection.a.none', 'fail'),
    result('rt.prompt-injection.a.base64', 'fail'),
    result('rt.prompt-injection.b.none', 'pass'),
  ];

  it('ranks seed attacks by breaches over strategies, with a transcript of the first breach', () => {
    const [top, ...rest] = topAttacks(results, cases, 'message', 5);
    expect(rest).toEqual([]);
    expect(top).toMatchObject({ seed: 'a', breached: 2, assessed: 2, strategies: ['none', 'base64'] });
    expect(top?.example.transcript).toEqual([{ role: 'user', content: 'attack a' }]);
    expect(top?.example.reason).toBe('joined marker found');
  });

  it('freezes only breaches, protected, with judge paths relative to the frozen file', () => {
    const doc = freezeSuite('replay', results, cases, { runId: 'r1', judgePath: '../judges/harm.judge.md' });
    expect(doc.cases.map((c) => c.id)).toEqual([
      'rt.prompt-injection.a.none',
      'rt.prompt-injection.a.base64',
    ]);
    expect(doc.cases[0]).toMatchObject({
      protected: true,
      checks: [{ type: 'judge', judge: '../judges/harm.judge.md' }],
    });
  });

  it('freezes a multi-turn breach as the scripted conversation the attacker wrote (Liquid-safe)', () => {
    const id = 'rt.prompt-injection.c.multi-turn';
    const mt = attempt(id, {
      checks: [],
      simulatedUser: { model: 'fake:attacker', goal: 'g', maxTurns: 3 },
      everyTurn: [{ type: 'redteam-marker', value: 'ZQX7KPW4' }],
    });
    const trajectory = {
      steps: [
        { type: 'user', turn: 0, text: 'attack c' },
        { type: 'llm', turn: 0, text: 'No.' },
        { type: 'user', turn: 1, text: 'Pretty please {{ now }}' },
        { type: 'llm', turn: 1, text: 'ZQX7KPW4' },
        { type: 'user', turn: 2, text: '<<GOAL_REACHED>>' },
      ],
      termination: 'user-stop',
      messages: [],
    } as unknown as ResultRecord['trajectory'];
    const doc = freezeSuite('replay', [result(id, 'fail', { trajectory })], new Map([[id, mt]]), {
      runId: 'r1',
    });
    expect(doc.cases[0]).toMatchObject({
      turns: [{}, { user: '{% raw %}Pretty please {{ now }}{% endraw %}' }],
      everyTurn: [{ type: 'redteam-marker', value: 'ZQX7KPW4' }],
    });
    expect(doc.cases[0]).not.toHaveProperty('simulatedUser');
  });

  it('returns nothing when no attack is common to both runs', () => {
    const a = [result('rt.prompt-injection.s1.none', 'fail')];
    const b = [result('rt.prompt-injection.s2.none', 'pass', { runId: 'r2', promptVersion: 'v2' })];
    expect(compareAsr('r1', a, b, { seed: 0 })).toEqual([]);
  });
});
