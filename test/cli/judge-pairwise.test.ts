import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from './cli-harness.ts';

// `assay judge pairwise` end to end. Two runs of one suite with the same fake target: v1 of the prompt
// echoes the question, v2 appends "(detailed)". The fake judge is scripted to prefer the detailed output
// wherever it is shown, except on marked cases: BIAS1 always picks the first-shown output, BIAS2 the
// second, EVEN says tie, GARBLE answers prose, OLDBETTER prefers v1. BROKEN makes v2's target call fail.
//   10 plain cases → B wins 10; OLDBETTER ×2 → A wins 2; BIAS1 ×2, BIAS2 ×1 → 3 order disagreements;
//   EVEN → 1 consistent tie; GARBLE → 1 error; BROKEN → skipped (errored in B).
// Sign test B 10 vs A 2: p = 2 · (1 + 12 + 66) / 2^12 = 0.0386.
const questions = [
  ...Array.from({ length: 10 }, (_, i) => `plain question ${i + 1}`),
  'BIAS1 question one',
  'BIAS1 question two',
  'BIAS2 question',
  'EVEN question',
  'GARBLE question',
  'OLDBETTER question one',
  'OLDBETTER question two',
  'BROKEN question',
];
const caseId = (i: number) => `c${String(i + 1).padStart(2, '0')}`;
const verdict = (winner: string, reasoning = `picked ${winner}`) => JSON.stringify({ reasoning, winner });
// The first line of the first-shown output block.
const firstShown = (pattern: string) => `<<<OUTPUT-A-[0-9a-f]{16}>>>\\n[^\\n]*${pattern}`;

let project: { dir: string; cleanup: () => void };
let runA: string;
let runB: string;
let runOther: string;
let runLoud: string;

async function evalRun(args: string[]): Promise<string> {
  const r = await runCli(['eval', '-C', project.dir, '--json', ...args]);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).reports[0].run.id as string;
}

const pairwise = (...args: string[]) => runCli(['judge', 'pairwise', '-C', project.dir, ...args]);

beforeAll(async () => {
  project = scratchProject(false);
  const cases = questions.map((q, i) => `  - id: ${caseId(i)}\n    vars: { q: "${q}" }\n`).join('');
  const judgeScript = {
    rules: [
      { contains: 'GARBLE', reply: 'Output A is clearly better.' },
      { contains: 'BIAS1', reply: verdict('A', 'the first one reads better') },
      { contains: 'BIAS2', reply: verdict('B', 'the second one reads better') },
      { contains: 'EVEN', reply: verdict('tie', 'e'.repeat(400)) },
      { match: firstShown('OLDBETTER[^\\n]*\\(detailed\\)'), reply: verdict('B', 'shorter is better') },
      { match: firstShown('OLDBETTER'), reply: verdict('A', 'shorter is better') },
      { match: firstShown('\\(detailed\\)'), reply: verdict('A', 'more complete <b>answer</b>') },
    ],
    default: verdict('B', 'more complete'),
  };
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: pw',
      'prompts: [support.prompt.md]',
      'suites: [suites/main.yaml, suites/other.yaml]',
      'prices: prices.yaml',
      'models:',
      '  - id: fake:target',
      '    script: models/target.yaml',
      '  - id: fake:judge',
      '    script: models/judge.json',
      '  - id: fake:pricey',
      '    script: models/judge.json',
      '  - id: fake:loud',
      '    script: models/loud.yaml',
      '  - id: fake:seer',
      '    script: models/seer.json',
      '',
    ].join('\n'),
    'prices.yaml': '"fake:pricey": { input: 1000, output: 1000 }\n',
    'support.prompt.md': '---\nvariables:\n  q: string\n---\n{{ q }}\n',
    'models/target.yaml':
      'rules:\n  - match: "BROKEN.*detailed"\n    error: { kind: client, message: refused }\ndefault: "{{last_user}}"\n',
    'models/judge.json': JSON.stringify(judgeScript, null, 2),
    'models/loud.yaml': 'default: "LOUD {{last_user}}"\n',
    // Says whether the prompt showed it the request the outputs answer.
    'models/seer.json': JSON.stringify({
      rules: [
        {
          match: '<<<REQUEST-[0-9a-f]{16}>>>\\nplain question 1 \\(detailed\\)\\n',
          reply: verdict('tie', 'saw the request'),
        },
      ],
      default: verdict('tie', 'no request'),
    }),
    'judges/seer.judge.md': '---\nkind: pairwise\nmodel: fake:seer\n---\nPrefer the better answer.\n',
    'judges/pref.judge.md': '---\nkind: pairwise\nmodel: fake:judge\n---\nPrefer the more complete answer.\n',
    'judges/pricey.judge.md':
      '---\nkind: pairwise\nmodel: fake:pricey\n---\nPrefer the more complete answer.\n',
    'judges/rubric.judge.md': '---\nmodel: fake:judge\n---\nThe answer must be complete.\n',
    'judges/unconfigured.judge.md': '---\nkind: pairwise\nmodel: fake:nope\n---\nPrefer the better one.\n',
    'suites/main.yaml': `name: main\ncases:\n${cases}`,
    'suites/other.yaml': 'name: other\ncases:\n  - id: x1\n    vars: { q: "unrelated" }\n',
  });
  runA = await evalRun(['-s', 'main', '-m', 'fake:target']);
  writeFileSync(
    join(project.dir, 'support.prompt.md'),
    '---\nvariables:\n  q: string\n---\n{{ q }} (detailed)\n',
  );
  runB = await evalRun(['-s', 'main', '-m', 'fake:target']);
  runLoud = await evalRun(['-s', 'main', '-m', 'fake:loud']);
  runOther = await evalRun(['-s', 'other', '-m', 'fake:target']);
}, 120_000);

afterAll(() => project?.cleanup());

describe('assay judge pairwise', () => {
  it('counts wins, ties (consistent and order disagreements) and errors, and tests the preference', async () => {
    const r = await pairwise('judges/pref.judge.md', runA, runB, '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.a.id).toBe(runA);
    expect(out.b.id).toBe(runB);
    expect(out.judge).toMatchObject({ name: 'pref', model: 'fake:judge', file: 'judges/pref.judge.md' });
    expect(out.pairing).toMatchObject({ paired: 17, selected: 17, byModel: true, erroredA: 0, erroredB: 1 });
    expect(out.summary).toMatchObject({
      pairs: 16,
      winsB: 10,
      winsA: 2,
      ties: 4,
      consistentTies: 1,
      orderDisagreements: 3,
      errors: 1,
      firstPosition: 2,
      secondPosition: 1,
      positionBias: 'first',
      positionConsistency: 13 / 16,
    });
    expect(out.summary.signTestP).toBeCloseTo((2 * 79) / 4096, 12);
    expect(out.summary.winRateB.n).toBe(12);
    expect(out.summary.winRateB.estimate).toBeCloseTo(10 / 12, 12);
    expect(out.summary.verdict.text).toBe('B is preferred: 10 vs 2, p = 0.039');
    // The unparseable reply is an error for its pair, listed, never a win.
    expect(out.errors).toEqual([
      { caseId: 'c15', modelId: 'fake:target', repeat: 0, error: expect.stringMatching(/not a JSON object/) },
    ]);
    const row = (id: string) => out.pairs.find((p: { caseId: string }) => p.caseId === id);
    // Per-order verdicts name the runs: BIAS1 picked the first-shown output both times (A, then B).
    expect(row('c11')).toMatchObject({
      ab: { winner: 'A' },
      ba: { winner: 'B' },
      winner: 'tie',
      consistent: false,
    });
    expect(row('c01')).toMatchObject({
      ab: { winner: 'B' },
      ba: { winner: 'B' },
      winner: 'B',
      consistent: true,
    });
    expect(row('c16')).toMatchObject({ winner: 'A', consistent: true });
    expect(row('c14')).toMatchObject({ winner: 'tie', consistent: true });
    expect(row('c18')).toBeUndefined();
    expect(row('c01').ba.reasoning).toBe('more complete <b>answer</b>');
    // Reasoning is truncated in the rows.
    expect(row('c14').ab.reasoning).toBe(`${'e'.repeat(299)}…`);
    // 16 pairs in two orders, and the GARBLE pair's first call (its second is never made).
    expect(out.calls).toMatchObject({ made: 33, cached: 0, cost: 0 });
    // v1 and v2 send different user messages, so the judge is not shown a request it could misattribute.
    expect(out.warnings.join('\n')).toMatch(/do not render the same request/);
  });

  it('is served from the cache the second time, and renders the same numbers as text', async () => {
    const r = await pairwise('judges/pref.judge.md', runA, runB);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/judge calls: 0 made, 33 from the cache · cost \$0/);
    expect(r.stdout).toMatch(
      /17 pairs judged in both orders: A wins 2 · B wins 10 · ties 4 \(1 consistent, 3 order disagreements\) · errors 1/,
    );
    expect(r.stdout).toMatch(/B win rate 83\.3% \[\d+\.\d, \d+\.\d\] over 12 decisive pairs/);
    expect(r.stdout).toMatch(
      /position consistency 81\.3% \(13\/16\) · position bias: toward the first-shown output/,
    );
    expect(r.stdout).toMatch(/c15 · fake:target #0: judge 'pref': judge reply is not a JSON object/);
    expect(r.stdout).toMatch(/\nverdict: B is preferred: 10 vs 2, p = 0\.039\n$/);
  });

  it('resolves run references like compare (latest~N) and estimates without calling on --dry-run', async () => {
    const r = await pairwise('judges/pref.judge.md', runA, runB, '--dry-run', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ dryRun: true, calls: 34, cachedCalls: 33, cost: 0, unbuildable: 0 });
    expect(out.inputTokens).toBeGreaterThan(0);
    // latest is the `other` run, then the loud one; latest~2 and latest~3 are B and A.
    const refs = await pairwise('judges/pref.judge.md', 'latest~3', 'latest~2', '--dry-run', '--json');
    expect(refs.code).toBe(0);
    expect(JSON.parse(refs.stdout)).toMatchObject({ a: { id: runA }, b: { id: runB }, calls: 34 });
  });

  it('pairs runs of different models by case and repeat, and shows the judge the request they share', async () => {
    const r = await pairwise('judges/seer.judge.md', runB, runLoud, '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pairing).toMatchObject({ paired: 17, byModel: false, erroredA: 1, erroredB: 0 });
    expect(out.warnings.join('\n')).not.toMatch(/request/);
    const c01 = out.pairs.find((p: { caseId: string }) => p.caseId === 'c01');
    expect(c01).toMatchObject({ ab: { reasoning: 'saw the request' }, ba: { reasoning: 'saw the request' } });
    expect(c01.modelId).toBeUndefined();
    expect(out.summary).toMatchObject({ pairs: 17, ties: 17, consistentTies: 17, winsA: 0, winsB: 0 });
    expect(out.summary.verdict.text).toMatch(/^no preference: no decisive pair/);
  });

  it('judges a seeded sample of pairs with --limit', async () => {
    const one = JSON.parse(
      (await pairwise('judges/pref.judge.md', runA, runB, '--limit', '5', '--seed', '3', '--json')).stdout,
    );
    const two = JSON.parse(
      (await pairwise('judges/pref.judge.md', runA, runB, '--limit', '5', '--seed', '3', '--json')).stdout,
    );
    expect(one.pairing).toMatchObject({ paired: 17, selected: 5, limit: 5, seed: 3 });
    expect(one.pairs).toHaveLength(5);
    expect(one.pairs.map((p: { caseId: string }) => p.caseId)).toEqual(
      two.pairs.map((p: { caseId: string }) => p.caseId),
    );
  });

  it('stops at --max-cost: the pairs left are not judged, and the exit code says incomplete', async () => {
    const r = await pairwise('judges/pricey.judge.md', runA, runB, '--max-cost', '2', '--json');
    expect(r.code).toBe(3);
    const out = JSON.parse(r.stdout);
    expect(out.notJudged).toBeGreaterThan(0);
    expect(out.summary.pairs + out.summary.errors + out.notJudged).toBe(17);
    expect(out.calls.cost).toBeGreaterThan(0);
    expect(out.calls.cost).toBeLessThanOrEqual(2);
  });

  it('rejects bad input with exit 2 and a message saying what to do', async () => {
    const rubric = await pairwise('judges/rubric.judge.md', runA, runB);
    expect(rubric.code).toBe(2);
    expect(rubric.stderr).toMatch(
      /judges\/rubric\.judge\.md: kind: judge 'rubric' is of kind 'rubric', not 'pairwise'/,
    );
    const model = await pairwise('judges/unconfigured.judge.md', runA, runB);
    expect(model.code).toBe(2);
    expect(model.stderr).toMatch(
      /judge 'unconfigured' uses model fake:nope, which is not configured.*add '- id: fake:nope'/,
    );
    const missing = await pairwise('judges/none.judge.md', runA, runB);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read judge file judges\/none\.judge\.md/);
    const unknown = await pairwise('judges/pref.judge.md', runA, 'ffffffff');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no run 'ffffffff'/);
    const same = await pairwise('judges/pref.judge.md', runA, runA);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/same run/);
    const disjoint = await pairwise('judges/pref.judge.md', runA, runOther, '--json');
    expect(disjoint.code).toBe(2);
    expect(JSON.parse(disjoint.stdout).error.message).toMatch(/share no cases/);
    const limit = await pairwise('judges/pref.judge.md', runA, runB, '--limit', '0');
    expect(limit.code).toBe(2);
    for (const r of [rubric, model, missing, unknown, same, limit])
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
