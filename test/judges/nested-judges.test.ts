import { afterEach, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/core/types.ts';
import { suiteJudges } from '../../src/judges/suite-judges.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';
import {
  cleanupFixtures,
  insideOutput,
  judgeFixture,
  OBEDIENT_JUDGE,
  rule,
  script,
  verdict,
} from './judge-fixture.ts';

/**
 * Judge checks inside all / any / weighted at any depth: loaded relative to the file that names them,
 * their models validated and registered, found by suiteJudges (so `assay gate` checks their status).
 */

afterEach(cleanupFixtures);

const REFUND = '---\nmodel: fake:judge\n---\nThe reply must offer a refund.\n';
const POLITE = '---\nname: polite\nmodel: fake:tone\n---\nThe reply must be polite.\n';
const TONE = script([rule(insideOutput('please'), verdict('pass', 'polite'))], verdict('fail', 'rude'));

/** A suite in a sub-folder: judge paths are relative to it (`../judges/…`). */
const NESTED_SUITE = [
  'name: main',
  'cases:',
  '  - id: both',
  '    vars: { answer: "please take a refund" }',
  '    checks: &checks',
  '      - type: weighted',
  '        threshold: 0.5',
  '        checks:',
  '          - { type: contains, value: take, weight: 2 }',
  '          - type: all',
  '            weight: 2',
  '            checks:',
  '              - { type: judge, judge: ../judges/refund.judge.md }',
  '              - type: any',
  '                checks:',
  '                  - { type: contains, value: zzz }',
  '                  - { type: judge, judge: ../judges/polite.judge.md }',
  '  - id: refund-only',
  '    vars: { answer: "take a refund" }',
  '    checks: *checks',
  '  - id: none',
  '    vars: { answer: "no" }',
  '    checks: *checks',
  '',
].join('\n');

describe('judges nested in all / any / weighted', () => {
  it('grade inside combinators at any depth, paths relative to the suite file', async () => {
    const f = await judgeFixture({
      judges: { judge: OBEDIENT_JUDGE, tone: TONE },
      files: {
        'judges/refund.judge.md': REFUND,
        'judges/polite.judge.md': POLITE,
        'suites/main.yaml': NESTED_SUITE,
      },
      suites: ['suites/main.yaml'],
    });
    const { results } = await f.run('main');
    const weighted = (r: ResultRecord) => r.checks.find((c) => c.type === 'weighted');
    // both: contains (2) + all (2: refund ∧ polite) → 1; refund-only: all fails → 0.5; none: 0.
    expect(results.map((r) => [r.caseId, r.status, weighted(r)?.score])).toEqual([
      ['both', 'pass', 1],
      ['none', 'fail', 0],
      ['refund-only', 'pass', 0.5],
    ]);
    const children = (weighted(results[2] as ResultRecord)?.details?.children ?? []) as { reason: string }[];
    expect(children[1]?.reason).toMatch(/^1 of 2 failed; any: none of 2 passed;/);
    expect(f.project.checkModels?.sort()).toEqual(['fake:judge', 'fake:tone']);
    expect(suiteJudges(f.project, 'main')).toEqual([
      ['judges/polite.judge.md', 'polite'],
      ['judges/refund.judge.md', 'refund'],
    ]);
  });

  it('config defaults: paths relative to the config; an unparseable nested reply is an error', async () => {
    const f = await judgeFixture({
      judges: { judge: script([], 'PASS') },
      files: {
        'judges/refund.judge.md': REFUND,
        'main.yaml': 'name: main\ncases:\n  - id: a\n    vars: { answer: "a refund" }\n',
      },
      suites: ['main.yaml'],
      extraConfig: [
        'defaults:',
        '  checks:',
        '    - type: any',
        '      checks:',
        '        - { type: contains, value: zzz }',
        '        - { type: judge, judge: judges/refund.judge.md }',
      ],
    });
    const { results } = await f.run('main');
    expect(results[0]?.status).toBe('error');
    expect(results[0]?.checks.find((c) => c.type === 'any')?.error).toMatch(
      /judge 'refund': judge reply is not a JSON object/,
    );
  });

  it('a missing nested judge file names the file, line and nested field', async () => {
    await expect(
      judgeFixture({
        judges: { judge: OBEDIENT_JUDGE, tone: TONE },
        files: { 'judges/refund.judge.md': REFUND, 'suites/main.yaml': NESTED_SUITE },
        suites: ['suites/main.yaml'],
      }),
    ).rejects.toThrow(
      /suites\/main\.yaml:6:\d+: cases\[0\]\.checks\[0\]\.checks\[1\]\.checks\[1\]\.checks\[1\]\.judge: .*judges\/polite\.judge\.md/,
    );
  });

  it("a nested judge's model must be configured", async () => {
    await expect(
      judgeFixture({
        judges: { judge: OBEDIENT_JUDGE },
        files: {
          'judges/refund.judge.md': REFUND,
          'judges/polite.judge.md': POLITE,
          'suites/main.yaml': NESTED_SUITE,
        },
        suites: ['suites/main.yaml'],
      }),
    ).rejects.toThrow(
      /cases\[0\]\.checks\[0\]\.checks\[1\]\.checks\[1\]\.checks\[1\]\.judge: judge 'polite' uses model fake:tone, which is not configured/,
    );
  });
});

describe('assay gate with a nested judge', () => {
  it('refuses an unvalidated judge inside weighted, naming it (exit 2)', async () => {
    const project = scratchProject(false);
    try {
      writeFiles(project.dir, {
        'assay.yaml': [
          'prompts: [q.prompt.md]',
          'suites: [cases.jsonl]',
          'models:',
          '  - id: fake:echo',
          '  - id: fake:judge',
          '    script: judge.yaml',
          'defaults:',
          '  checks:',
          '    - type: weighted',
          '      threshold: 0.5',
          '      checks:',
          '        - { type: judge, judge: judges/tone.judge.md }',
          '',
        ].join('\n'),
        'judge.yaml': `default: ${JSON.stringify(verdict('pass', 'fine'))}\n`,
        'q.prompt.md': '---\nvariables:\n  q: string\n---\n{{ q }}\n',
        'judges/tone.judge.md': '---\nmodel: fake:judge\n---\nThe reply is polite.\n',
        'cases.jsonl': JSON.stringify({ id: 'a', vars: { q: 'a' } }),
      });
      expect((await runCli(['eval', '-C', project.dir, '-m', 'fake:echo'])).code).toBe(0);
      const r = await runCli(['gate', '--baseline', 'latest', '-m', 'fake:echo', '-C', project.dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/judge 'tone' \(judges\/tone\.judge\.md\) is unvalidated/);
    } finally {
      project.cleanup();
    }
  }, 60_000);
});
