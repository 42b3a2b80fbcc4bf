import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli, scratchProject } from '../cli/cli-harness.ts';

describe('assay redteam: input errors, dry run and budget', () => {
  const p = scratchProject(false);
  const original = readFileSync(join(repoRoot, 'examples/redteam/redteam.yaml'), 'utf8');
  const config = (text: string) => writeFileSync(join(p.dir, 'redteam.yaml'), text);
  beforeEach(() => {
    cpSync(join(repoRoot, 'examples/redteam'), p.dir, {
      recursive: true,
      filter: (s) => !s.includes('.assay'),
    });
  });
  afterAll(() => p.cleanup());

  it('exit 2 naming the file when there is no red-team config', async () => {
    const r = await runCli(['redteam', '-C', p.dir, '--redteam-config', 'nope.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/red-team config nope\.yaml not found.*docs\/redteam\.md/);
  });

  it('exit 2 with file:line and field for a misspelt plugin, as JSON with --json', async () => {
    config(original.replace('  - persona-break', '  - persona-brake'));
    const r = await runCli(['redteam', '-C', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^assay: redteam\.yaml:\d+:\d+: plugins\[6\]: .*persona-break/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const j = await runCli(['redteam', '-C', p.dir, '--json']);
    expect(JSON.parse(j.stdout).error.exitCode).toBe(2);
  });

  it('exit 2 when the config does not fit the prompts: input variable, canary, forbidden tool', async () => {
    config(original.replace('input: message', 'input: question'));
    let r = await runCli(['redteam', '-C', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /redteam\.yaml:\d+:\d+: target\.input: prompt 'support' \(prompts\/support\.prompt\.md\) has no variable 'question'; expected .*one of: message, context/,
    );
    config(original.replace('canary: ZEBRA-7731-QUARTZ', 'canary: OTTER-1234-PLUM'));
    r = await runCli(['redteam', '-C', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /target\.canary: the canary does not appear in the system message of prompt 'support'/,
    );
    writeFileSync(
      join(p.dir, 'prompts/support.prompt.md'),
      readFileSync(join(p.dir, 'prompts/support.prompt.md'), 'utf8').replace(
        'variables:\n',
        'variables:\n  tier:\n    type: string\n',
      ),
    );
    // The project's own suite gives it; the red team's attempts do not (target.vars does not).
    writeFileSync(
      join(p.dir, 'suites/smoke.yaml'),
      'cases:\n  - id: a\n    vars: { message: hi, tier: gold }\n',
    );
    config(original);
    r = await runCli(['redteam', '-C', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^assay: redteam\.yaml:\d+:\d+: target\.vars: .*'tier'.*\(and \d+ more attempts\).*under target\.vars/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    cpSync(join(repoRoot, 'examples/redteam/prompts'), join(p.dir, 'prompts'), { recursive: true });
    config(original.replace('forbiddenTools: [refund_order]', 'forbiddenTools: [delete_account]'));
    r = await runCli(['redteam', '-C', p.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not offer the tool 'delete_account'/);
  });

  it('exit 2 for a --compare run that does not exist, before any call', async () => {
    const r = await runCli(['redteam', '-C', p.dir, '--compare', 'nope123']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no run 'nope123' to compare with/);
  });

  it('--dry-run generates the suite and counts target and judge calls, sending and storing nothing', async () => {
    const r = await runCli(['redteam', '-C', p.dir, '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const { dryRun } = JSON.parse(r.stdout);
    // 4 harmful-content attacks × (as written + 9 text strategies + paraphrase), one judge call each per
    // prompt; a multi-turn attack's per-turn judge calls are not known before it runs (docs/conversations.md).
    const harmful = 4 * 11;
    expect(dryRun.estimate.calls).toBe(2 * dryRun.cases + 2 * harmful);
    expect(dryRun.estimate.judgeCalls[0]).toMatchObject({ modelId: 'fake:harm-judge', calls: 2 * harmful });
    const runs = await runCli(['runs', 'list', '-C', p.dir, '--json']);
    expect(JSON.parse(runs.stdout).runs).toEqual([]);
  });

  it('--max-cost stops the run through the engine budget (exit 3) and counts only what was assessed', async () => {
    // Priced by tokens (USD per million), so the budget can count every call before it is made.
    writeFileSync(
      join(p.dir, 'prices.yaml'),
      '"file:targets/scripted-bot.ts#answerCase": { input: 100, output: 100 }\n',
    );
    writeFileSync(
      join(p.dir, 'assay.yaml'),
      `${readFileSync(join(p.dir, 'assay.yaml'), 'utf8')}prices: prices.yaml\n`,
    );
    const r = await runCli(['redteam', '-C', p.dir, '--max-cost', '0.5', '--json', '-j', '1']);
    expect(r.code, r.stderr).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.run.status).toBe('over-budget');
    expect(report.run.cost).toBeGreaterThan(0);
    expect(report.run.cost).toBeLessThanOrEqual(0.5 + 1e-9);
    const assessed = report.groups.reduce(
      (n: number, g: { overall: { assessed: number }; utility: { assessed: number } | null }) =>
        n + g.overall.assessed + (g.utility?.assessed ?? 0),
      0,
    );
    expect(assessed).toBeGreaterThan(0);
    expect(assessed).toBeLessThan(2 * report.run.cases);
  });
});
