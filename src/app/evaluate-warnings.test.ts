import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scratchProject, writeFiles } from '../../test/cli/cli-harness.ts';
import type { CaseSpec } from '../core/types.ts';
import { evaluate, undeclaredClustersWarning } from './evaluate.ts';

function testCase(id: string, extra: Partial<CaseSpec> = {}): CaseSpec {
  return { id, vars: { q: id }, checks: [], tags: [], ...extra };
}

describe('undeclaredClustersWarning', () => {
  it('groups cases by deep-equal expected answers and by identical inputs', () => {
    const cases = [
      testCase('a', { expected: { city: 'Paris', country: 'FR' } }),
      testCase('b', { expected: { country: 'FR', city: 'Paris' } }), // same object, other key order
      testCase('c', { expected: { city: 'Paris', country: 'FR' } }),
      testCase('d', { expected: 'Lyon' }),
      testCase('e', { expected: 'Lyon' }),
      testCase('f', { expected: '' }),
      testCase('g', { expected: '' }), // empty: not a shared answer
      testCase('h'),
    ];
    expect(undeclaredClustersWarning(cases, cases)).toEqual([
      '5 cases share the same expected answer in 2 groups (e.g. a, b, c); if they are paraphrases of one question, declare a cluster so intervals account for it',
    ]);
    const sameVars = [testCase('x', { vars: { q: 1 } }), testCase('y', { vars: { q: 1 } }), testCase('z')];
    expect(undeclaredClustersWarning(sameVars, sameVars)[0]).toMatch(
      /^2 cases share the same vars in 1 group \(e\.g\. x, y\)/,
    );
    // the same vars with other prior turns are different questions
    const turns = [
      testCase('x', { vars: { q: 1 } }),
      testCase('y', { vars: { q: 1 }, messages: [{ role: 'user', content: 'earlier' }] }),
    ];
    expect(undeclaredClustersWarning(turns, turns)).toEqual([]);
    // cases sharing both answer and inputs make one group, not two
    const both = [
      testCase('x', { vars: { q: 1 }, expected: 'A' }),
      testCase('y', { vars: { q: 1 }, expected: 'A' }),
    ];
    expect(undeclaredClustersWarning(both, both)[0]).toMatch(
      /^2 cases share the same expected answer in 1 group/,
    );
  });

  it('says nothing when the suite declares a cluster anywhere, or nothing is shared', () => {
    const cases = [testCase('a', { expected: 'A', cluster: 'k' }), testCase('b', { expected: 'A' })];
    expect(undeclaredClustersWarning(cases, cases)).toEqual([]);
    const distinct = [testCase('a', { expected: 'A' }), testCase('b', { expected: 'B' })];
    expect(undeclaredClustersWarning(distinct, distinct)).toEqual([]);
  });
});

describe('evaluate: warnings about the suite and the test split', () => {
  let project: ReturnType<typeof scratchProject>;
  const env = { PATH: process.env.PATH ?? '' };
  beforeAll(() => {
    project = scratchProject(false);
    writeFiles(project.dir, {
      'assay.yaml': [
        'name: warn-test',
        'prompts: [qa.prompt.md]',
        'suites: [cases.yaml]',
        'models: [fake:echo]',
        'defaults:',
        '  maxRetries: 0',
      ].join('\n'),
      'qa.prompt.md': '---\nname: qa\nvariables:\n  q: string\n---\nQ: {{ q }}\n',
      // fake:echo answers `Q: …`: the first check always passes, the second only on the Paris cases, so
      // the test cases score 0.5 (numeric scores).
      'cases.yaml': [
        'name: qa',
        'defaults:',
        '  checks:',
        '    - contains: "Q:"',
        '    - icontains: paris',
        'cases:',
        '  - { id: d1, vars: { q: capital of France is Paris? }, expected: Paris }',
        '  - { id: d2, vars: { q: "the French capital, Paris?" }, expected: Paris }',
        '  - { id: t1, split: test, vars: { q: hello }, expected: world }',
        '  - { id: t2, split: test, vars: { q: hi }, expected: world }',
      ].join('\n'),
    });
  });
  afterAll(() => project?.cleanup());

  const looks = (w: string[]) => w.filter((x) => x.startsWith('the test split'));

  it('counts earlier looks at the test split, not runs restricted to dev', async () => {
    const first = await evaluate({ cwd: project.dir, env });
    expect(looks(first.report.warnings)).toEqual([]); // the first look
    expect(first.report.warnings).toContain(
      '4 cases share the same expected answer in 2 groups (e.g. d1, d2); if they are paraphrases of one question, declare a cluster so intervals account for it',
    );
    // numeric scores: the test cases score 0.5
    expect(first.report.summary.groups[0]?.score).toMatchObject({
      mean: 0.75,
      median: 0.75,
      n: 4,
      method: 'bootstrap percentile',
    });

    const dev = await evaluate({ cwd: project.dir, env, split: 'dev' });
    expect(looks(dev.report.warnings)).toEqual([]); // no test case in this run
    expect(dev.report.warnings.join('\n')).toMatch(/2 cases share the same expected answer in 1 group/);

    const second = await evaluate({ cwd: project.dir, env });
    expect(looks(second.report.warnings)).toEqual([
      'the test split of suite qa has been evaluated 1 time before this run; each look makes its estimate less trustworthy as a held-out number (use --split dev while iterating)',
    ]);
    const third = await evaluate({ cwd: project.dir, env, split: 'test' });
    expect(looks(third.report.warnings)[0]).toMatch(/evaluated 2 times before this run/);
  });
});
