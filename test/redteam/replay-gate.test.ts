import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

// The regression pack: attacks that breached the vulnerable prompt are frozen into a suite; a hardened
// prompt holds them all (baseline run); putting the vulnerable prompt back is a regression `assay gate`
// blocks with exit 1, and `assay eval` runs the frozen suite like any other.
describe('a frozen red-team replay suite under assay eval and assay gate', () => {
  const p = scratchProject(false);
  const prompt = (name: string) => readFileSync(join(repoRoot, 'examples/redteam/prompts', name), 'utf8');
  const vulnerable = prompt('support.prompt.md');
  const hardened = prompt('support-hardened.prompt.md').replace('name: support-hardened', 'name: support');
  let frozenCases = 0;
  // The target only: the project also configures the grader judge's and the attacker's fake models.
  const TARGET = ['-m', 'file:targets/scripted-bot.ts#answerCase'];
  let baseline = '';

  beforeAll(async () => {
    cpSync(join(repoRoot, 'examples/redteam'), p.dir, {
      recursive: true,
      filter: (s) => !s.includes('.assay'),
    });
    // Attack only the vulnerable version, and freeze what got through.
    writeFileSync(
      join(p.dir, 'redteam.yaml'),
      readFileSync(join(p.dir, 'redteam.yaml'), 'utf8')
        .replace('prompts: [support, support-hardened]', 'prompts: [support]')
        .replace('attempts: 4', 'attempts: 2'),
    );
    const r = await runCli(['redteam', '-C', p.dir, '--json', '--freeze', join(p.dir, 'suites/replay.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    frozenCases = JSON.parse(r.stdout).frozen.cases;
    // One prompt, named support, that now holds: the project as it should ship.
    rmSync(join(p.dir, 'prompts/support-hardened.prompt.md'));
    writeFileSync(join(p.dir, 'prompts/support.prompt.md'), hardened);
    writeFileSync(
      join(p.dir, 'assay.yaml'),
      readFileSync(join(p.dir, 'assay.yaml'), 'utf8').replace(
        '  - suites/smoke.yaml',
        '  - suites/replay.yaml',
      ),
    );
  }, 120_000);
  afterAll(() => p.cleanup());

  it('froze a loadable suite of breaching attacks', () => {
    const doc = parse(readFileSync(join(p.dir, 'suites/replay.yaml'), 'utf8')) as {
      cases: { id: string; protected: boolean }[];
    };
    expect(frozenCases).toBeGreaterThan(30);
    expect(doc.cases).toHaveLength(frozenCases);
    expect(doc.cases.every((c) => c.protected)).toBe(true);
  });

  it('assay eval runs it: the hardened prompt holds every frozen attack', async () => {
    const r = await runCli(['eval', '-C', p.dir, ...TARGET, '--json', '--threshold', '1']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout).reports[0];
    expect(report.summary.groups[0].passed).toBe(frozenCases);
    baseline = report.run.id;
    // The same prompt against that run: nothing to block.
    const same = await runCli([
      'gate',
      '-C',
      p.dir,
      ...TARGET,
      '--baseline',
      baseline,
      '--allow-unvalidated',
    ]);
    expect(same.code, same.stdout + same.stderr).toBe(0);
  }, 60_000);

  it('assay gate fails (exit 1) when the vulnerable prompt comes back', async () => {
    writeFileSync(join(p.dir, 'prompts/support.prompt.md'), vulnerable);
    const r = await runCli([
      'gate',
      '-C',
      p.dir,
      ...TARGET,
      '--baseline',
      baseline,
      '--allow-unvalidated',
      '--json',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toContain('"worse"');
    const text = await runCli([
      'gate',
      '-C',
      p.dir,
      ...TARGET,
      '--baseline',
      baseline,
      '--allow-unvalidated',
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/regress/i);
  }, 60_000);
});
