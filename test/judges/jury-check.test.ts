import { afterEach, describe, expect, it } from 'vitest';
import type { CheckResult, ResultRecord } from '../../src/core/types.ts';
import { suiteJudges } from '../../src/judges/suite-judges.ts';
import { cleanupFixtures, insideOutput, judgeFixture, rule, script, verdict } from './judge-fixture.ts';

/**
 * The `jury` check end to end: member judge files loaded relative to the suite, every member called
 * through the engine, verdicts pooled (majority / mean), a bad member reply is an error naming it.
 */

afterEach(cleanupFixtures);

const judgeFile = (model: string, extra = '') => `---\nmodel: fake:${model}\n${extra}---\nGrade the reply.\n`;

/** Passes outputs containing `word`, fails the rest. */
const passesOn = (word: string) =>
  script([rule(insideOutput(word), verdict('pass', `has ${word}`))], verdict('fail', `no ${word}`));

function jurySuite(jury: string[], cases: Record<string, string>): string {
  const lines = ['name: main', 'defaults:', '  checks:', ...jury.map((l) => `    ${l}`), 'cases:'];
  for (const [id, answer] of Object.entries(cases))
    lines.push(`  - id: ${id}`, `    vars: { answer: ${JSON.stringify(answer)} }`);
  return `${lines.join('\n')}\n`;
}

const juryOf = (r: ResultRecord): CheckResult => {
  const c = r.checks.find((x) => x.type === 'jury');
  if (!c) throw new Error(`no jury result for ${r.caseId}`);
  return c;
};

const THREE = {
  judges: { a: passesOn('refund'), b: passesOn('sorry'), c: passesOn('today') },
  files: {
    'judges/a.judge.md': judgeFile('a'),
    'judges/b.judge.md': judgeFile('b'),
    'judges/c.judge.md': judgeFile('c'),
  },
};

describe('jury: majority', () => {
  it('passes with strictly more than half of the judges; details per member and agreement', async () => {
    const f = await judgeFixture({
      judges: THREE.judges,
      files: {
        ...THREE.files,
        'main.yaml': jurySuite(
          [
            '- type: jury',
            '  mode: majority',
            '  judges: [judges/a.judge.md, judges/b.judge.md, judges/c.judge.md]',
          ],
          { all3: 'sorry, a refund today', two: 'sorry, a refund', one: 'a refund', none: 'no' },
        ),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    const by = new Map(results.map((r) => [r.caseId, r]));
    expect(results.map((r) => [r.caseId, r.status, juryOf(r).score])).toEqual([
      ['all3', 'pass', 1],
      ['none', 'fail', 0],
      ['one', 'fail', 1 / 3],
      ['two', 'pass', 2 / 3],
    ]);
    const two = juryOf(by.get('two') as ResultRecord);
    expect(two.reason).toBe('jury (majority): pass, 2 of 3 judges pass (a pass, b pass, c fail)');
    expect(two.details?.agreement).toBeCloseTo(2 / 3, 12);
    expect(two.details?.jurors).toBe(3);
    const members = two.details?.members as Record<string, unknown>[];
    expect(members.map((m) => [m.judge, m.judgeFile, m.judgeModel, m.pass, m.reasoning])).toEqual([
      ['a', 'judges/a.judge.md', 'fake:a', true, 'has refund'],
      ['b', 'judges/b.judge.md', 'fake:b', true, 'has sorry'],
      ['c', 'judges/c.judge.md', 'fake:c', false, 'no today'],
    ]);
    for (const m of members) expect(m.judgeVersion).toMatch(/^[0-9a-f]{12}$/);
    // Every member is a judge the suite uses (status reporting, gate).
    expect(suiteJudges(f.project, 'main')).toEqual([
      ['judges/a.judge.md', 'a'],
      ['judges/b.judge.md', 'b'],
      ['judges/c.judge.md', 'c'],
    ]);
  });

  it('an even split fails', async () => {
    const f = await judgeFixture({
      judges: { a: THREE.judges.a, b: THREE.judges.b },
      files: {
        'judges/a.judge.md': judgeFile('a'),
        'judges/b.judge.md': judgeFile('b'),
        'main.yaml': jurySuite(
          ['- type: jury', '  mode: majority', '  judges: [judges/a.judge.md, judges/b.judge.md]'],
          {
            split: 'a refund',
          },
        ),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    expect(results[0]?.status).toBe('fail');
    expect(juryOf(results[0] as ResultRecord).details?.agreement).toBe(0.5);
  });
});

describe('jury: mean', () => {
  it('pools 1-5 scores (scaled to 0-1) and pass/fail verdicts against the threshold', async () => {
    const scorer = script(
      [rule(insideOutput('refund'), JSON.stringify({ reasoning: 'ok', score: 4 }))],
      JSON.stringify({ reasoning: 'bad', score: 1 }),
    );
    const f = await judgeFixture({
      judges: { s: scorer, a: THREE.judges.a },
      files: {
        'judges/s.judge.md': judgeFile('s', 'scale: 1-5\n'),
        'judges/a.judge.md': judgeFile('a'),
        'main.yaml': jurySuite(
          [
            '- type: jury',
            '  mode: mean',
            '  threshold: 0.8',
            '  judges: [judges/s.judge.md, judges/a.judge.md]',
          ],
          { refund: 'a refund', nothing: 'no' },
        ),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    // refund: (0.75 + 1) / 2 = 0.875 ≥ 0.8; nothing: (0 + 0) / 2.
    expect(results.map((r) => [r.caseId, r.status, juryOf(r).score])).toEqual([
      ['nothing', 'fail', 0],
      ['refund', 'pass', 0.875],
    ]);
    const refund = juryOf(results[1] as ResultRecord);
    expect(refund.reason).toMatch(/^jury \(mean\): pass, mean score 0\.875 ≥ 0\.8 \(s pass, a pass\)$/);
    expect((refund.details?.members as Record<string, unknown>[] | undefined)?.[0]).toMatchObject({
      rawScore: 4,
      score: 0.75,
    });
  });
});

describe('jury: errors', () => {
  it('a member whose reply cannot be parsed makes the jury an error naming the member, never a pass', async () => {
    const f = await judgeFixture({
      judges: {
        a: script([], verdict('pass', 'ok')),
        b: script([], verdict('pass', 'ok')),
        c: script([], 'PASS'),
      },
      files: {
        ...THREE.files,
        'main.yaml': jurySuite(
          [
            '- type: jury',
            '  mode: majority',
            '  judges: [judges/a.judge.md, judges/b.judge.md, judges/c.judge.md]',
          ],
          { x: 'anything' },
        ),
      },
      suites: ['main.yaml'],
    });
    const { results } = await f.run('main');
    expect(results[0]?.status).toBe('error');
    expect(juryOf(results[0] as ResultRecord).error).toMatch(
      /^jury: member 3 'c' \(judges\/c\.judge\.md\): judge 'c': judge reply is not a JSON object/,
    );
  });

  const loadError = async (jury: string[], files: Record<string, string> = THREE.files) =>
    judgeFixture({
      judges: THREE.judges,
      files: { ...files, 'main.yaml': jurySuite(jury, { x: 'x' }) },
      suites: ['main.yaml'],
    });

  it('fewer than 2 members is a config error', async () => {
    await expect(
      loadError(['- type: jury', '  mode: majority', '  judges: [judges/a.judge.md]']),
    ).rejects.toThrow(
      /main\.yaml:\d+:\d+: defaults\.checks\[0\]\.judges: a jury needs at least 2 judges, got 1/,
    );
  });

  it('a pairwise member is a config error naming it', async () => {
    await expect(
      loadError(['- type: jury', '  mode: majority', '  judges: [judges/a.judge.md, judges/p.judge.md]'], {
        ...THREE.files,
        'judges/p.judge.md': judgeFile('b', 'kind: pairwise\n'),
      }),
    ).rejects.toThrow(/defaults\.checks\[0\]\.judges\[1\]: judge 'p' is pairwise/);
  });

  it('mode is required; threshold only goes with mean', async () => {
    await expect(
      loadError(['- type: jury', '  judges: [judges/a.judge.md, judges/b.judge.md]']),
    ).rejects.toThrow(/defaults\.checks\[0\]\.mode: missing for check 'jury'.*majority or mean/s);
    await expect(
      loadError([
        '- type: jury',
        '  mode: majority',
        '  threshold: 0.6',
        '  judges: [judges/a.judge.md, judges/b.judge.md]',
      ]),
    ).rejects.toThrow(/threshold: 'threshold' only applies to mode 'mean'/);
  });

  it("a member's file is read relative to the suite; a missing one names the member field", async () => {
    await expect(
      loadError(['- type: jury', '  mode: mean', '  judges: [judges/a.judge.md, judges/nope.judge.md]']),
    ).rejects.toThrow(/main\.yaml:\d+.*defaults\.checks\[0\]\.judges\[1\].*judges\/nope\.judge\.md/);
  });

  it("a member's model must be configured", async () => {
    await expect(
      loadError(['- type: jury', '  mode: mean', '  judges: [judges/a.judge.md, judges/z.judge.md]'], {
        ...THREE.files,
        'judges/z.judge.md': judgeFile('zzz'),
      }),
    ).rejects.toThrow(
      /defaults\.checks\[0\]\.judges\[1\]: judge 'z' uses model fake:zzz, which is not configured/,
    );
  });
});
