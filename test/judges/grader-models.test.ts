import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { cleanupFixtures, judgeFixture, script, verdict } from './judge-fixture.ts';

// A model listed only so a judge can call it grades; it is not itself evaluated, unless `target: true`.
afterEach(cleanupFixtures);

const suite = [
  'name: main',
  'defaults:',
  '  checks:',
  '    - type: judge',
  '      judge: judges/ok.judge.md',
  'cases:',
  '  - id: c1',
  '    vars: { answer: fine }',
  '',
].join('\n');

async function project(extraConfig: string[] = []) {
  return judgeFixture({
    judges: { grader: script([], verdict('pass', 'fine')) },
    files: { 'judges/ok.judge.md': '---\nmodel: fake:grader\n---\nGrade it.\n', 'main.yaml': suite },
    suites: ['main.yaml'],
    extraConfig,
  });
}

describe('models only judges call', () => {
  it('are not evaluated as targets by default', async () => {
    const f = await project();
    const out = await evaluate({ cwd: f.dir, env: {} });
    expect([...new Set(out.reports.flatMap((r) => r.summary.groups.map((g) => g.modelId)))]).toEqual([
      'fake:echo',
    ]);
    expect(out.exitCode).toBe(0);
  });

  it('are evaluated too when marked target: true, and --model always selects', async () => {
    const f = await project(['defaults:', '  threshold: 0']);
    const t = await judgeFixture({
      judges: { grader: script([], verdict('pass', 'fine')) },
      files: { 'judges/ok.judge.md': '---\nmodel: fake:grader\n---\nGrade it.\n', 'main.yaml': suite },
      suites: ['main.yaml'],
    });
    const yaml = readFileSync(join(t.dir, 'assay.yaml'), 'utf8').replace(
      'script: models/grader.yaml',
      'script: models/grader.yaml\n    target: true',
    );
    writeFileSync(join(t.dir, 'assay.yaml'), yaml);
    const both = await evaluate({ cwd: t.dir, env: {} });
    expect(both.reports[0]?.summary.groups.map((g) => g.modelId).sort()).toEqual([
      'fake:echo',
      'fake:grader',
    ]);
    const marked = await evaluate({ cwd: f.dir, env: {}, models: ['fake:echo', 'fake:grader'] });
    expect(marked.reports[0]?.summary.groups.map((g) => g.modelId).sort()).toEqual([
      'fake:echo',
      'fake:grader',
    ]);
  });
});
