import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/core/prompt/parse-prompt.ts';
import { cleanEnv, runCli } from '../cli/cli-harness.ts';

/**
 * `assay gate --baseline git:REF` in a scratch git repository: the example project from `assay init`,
 * committed, then its support prompt changed and committed again. The fake model keys on the prompt's
 * wording: the new wording ("Hello, I'm …") gets a refusal on the kettle and smoking-toaster cases, so
 * the protected case safety-hazard regresses.
 */
let dir: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
const env = () =>
  cleanEnv({ GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-gate-git-'));
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'ci@example.com');
  git('config', 'user.name', 'CI');
  const init = await runCli(['init', dir], { env: env() });
  expect(init.code).toBe(0);
  const cfg = readFileSync(join(dir, 'assay.yaml'), 'utf8');
  writeFileSync(
    join(dir, 'assay.yaml'),
    cfg.replace(/^models: \[\]$/m, 'models:\n  - id: fake:bot\n    script: bot.yaml'),
  );
  writeFileSync(
    join(dir, 'bot.yaml'),
    [
      'rules:',
      `  - match: "^Hello, I'm .*(smoking|kettle)"`,
      `    reply: "Sorry, I can't help with that."`,
      `default: "Happy to help! I'm escalating this to a human agent. You can return items within 30 days of delivery for a full refund."`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, '.gitignore'), '.assay/\n*.xml\n*.md.out\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'v1');
  const prompt = join(dir, 'prompts/support.prompt.md');
  writeFileSync(
    prompt,
    readFileSync(prompt, 'utf8').replace("Hi, I'm {{ customer_name }}.", "Hello, I'm {{ customer_name }}."),
  );
  git('commit', '-q', '-am', 'v2: new greeting');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('assay gate --baseline git:REF (CLI)', () => {
  it('evaluates the prompts of the older commit on the current suite, fails on the protected regression, writes JUnit, Markdown and the step summary', async () => {
    const summary = join(dir, 'summary.md.out');
    writeFileSync(summary, '# earlier step\n');
    const r = await runCli(
      ['gate', '-C', dir, '--baseline', 'git:HEAD~1', '--junit', 'gate.xml', '--markdown', 'gate.md.out'],
      { env: { ...env(), GITHUB_STEP_SUMMARY: summary } },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^gate FAIL \(exit 1\) · baseline git:HEAD~1 @ [0-9a-f]{12}/);
    expect(r.stdout).toContain(
      '✗ support · support · fake:bot: protected case safety-hazard regressed (pass → fail)',
    );
    expect(r.stdout).toMatch(/✓ triage · triage · fake:bot: no detectable difference/);
    const xml = readFileSync(join(dir, 'gate.xml'), 'utf8');
    expect(xml).toContain('name="protected case safety-hazard"');
    expect(xml).toMatch(
      /<failure type="regression" message="support · support · fake:bot: protected case safety-hazard regressed/,
    );
    const md = readFileSync(join(dir, 'gate.md.out'), 'utf8');
    expect(md).toContain(
      '**Regressions** (A pass → B fail): `safety-hazard` **(protected)**, `refund-window`',
    );
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`);
  });

  it('against the same commit the gate passes (exit 0), and --json carries the commit and the runs', async () => {
    const r = await runCli(['gate', '-C', dir, '--baseline', 'git:HEAD', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdict).toBe('pass');
    expect(out.baseline.git.commit).toBe(git('rev-parse', 'HEAD').trim());
    expect(out.baseline.git.prompts).toEqual(['prompts/support.prompt.md', 'prompts/triage.prompt.md']);
    expect(out.comparisons.map((c: { suite: string }) => c.suite)).toEqual(['support', 'triage']);
    expect(
      out.comparisons.every((c: { comparison: { flips: unknown[] } }) => c.comparison.flips.length === 0),
    ).toBe(true);
  });

  it('on a fresh runner (empty store) --baseline NAME@LABEL finds the labelled version in git history', async () => {
    // The label points at the v1 prompt, which is only in the git history now (the file holds v2).
    const v1 = parsePrompt(
      git('show', 'HEAD~1:prompts/support.prompt.md'),
      'prompts/support.prompt.md',
    ).version;
    writeFileSync(join(dir, 'assay.labels.yaml'), `support:\n  production: ${v1}\n`);
    rmSync(join(dir, '.assay'), { recursive: true, force: true });
    const r = await runCli(['gate', '-C', dir, '--baseline', 'support@production', '-s', 'support'], {
      env: env(),
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      '✗ support · support · fake:bot: protected case safety-hazard regressed (pass → fail)',
    );
    rmSync(join(dir, 'assay.labels.yaml'));
  });

  it('an unknown ref is a usage error (exit 2) with the fetch-depth hint', async () => {
    const r = await runCli(['gate', '-C', dir, '--baseline', 'git:no-such-branch'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/git:no-such-branch: no such commit .*fetch-depth: 0/);
  });
});
