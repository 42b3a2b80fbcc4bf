import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

// `assay gate` refuses a judge that was never validated against human annotations (exit 2, before
// evaluating anything), unless --allow-unvalidated, which gates with it and warns.
let project: { dir: string; cleanup: () => void };

beforeAll(async () => {
  project = scratchProject(false);
  const pass = JSON.stringify({ reasoning: 'fine', verdict: 'pass' });
  writeFiles(project.dir, {
    'assay.yaml': [
      'name: gate-judge',
      'prompts: [q.prompt.md]',
      'suites: [cases.jsonl]',
      'models:',
      '  - id: fake:echo',
      '  - id: fake:judge',
      '    script: judge.yaml',
      'defaults:',
      '  checks:',
      '    - type: judge',
      '      judge: judges/tone.judge.md',
      '',
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  q: string\n---\n{{ q }}\n',
    'judges/tone.judge.md': '---\nmodel: fake:judge\n---\nThe reply is polite.\n',
    'judge.yaml': `default: ${JSON.stringify(pass)}\n`,
    'cases.jsonl': ['a', 'b', 'c'].map((id) => JSON.stringify({ id, vars: { q: id } })).join('\n'),
  });
  const r = await runCli(['eval', '-C', project.dir, '-m', 'fake:echo']);
  expect(r.code).toBe(0);
}, 60_000);

afterAll(() => project?.cleanup());

describe('assay gate with an unvalidated judge', () => {
  it('exits 2 naming the judge, its status and how to validate it', async () => {
    const r = await runCli(['gate', '--baseline', 'latest', '-m', 'fake:echo', '-C', project.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/judge 'tone' \(judges\/tone\.judge\.md\) is unvalidated/);
    expect(r.stderr).toMatch(/assay judge validate judges\/tone\.judge\.md --annotations <file>/);
    expect(r.stderr).toMatch(/--allow-unvalidated/);
  });

  it('gates with it and warns under --allow-unvalidated', async () => {
    const r = await runCli([
      'gate',
      '--baseline',
      'latest',
      '-m',
      'fake:echo',
      '--allow-unvalidated',
      '--json',
      '-C',
      project.dir,
    ]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.verdict).toBe('pass');
    expect(result.warnings).toContainEqual(
      expect.stringMatching(/judge 'tone' .* is unvalidated.*--allow-unvalidated/),
    );
  });
});
