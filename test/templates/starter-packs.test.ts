import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TEMPLATES } from '../../src/cli/commands/init-command.ts';
import { repoRoot, runCli } from '../cli/cli-harness.ts';

const CATEGORIES = ['representative', 'edge', 'adversarial', 'negative'];
const work = mkdtempSync(join(tmpdir(), 'assay-packs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('assay init --template (domain starter packs)', () => {
  it('ships exactly the documented packs, each listed in package.json files', () => {
    expect(readdirSync(join(repoRoot, 'templates')).sort()).toEqual([...TEMPLATES].sort());
    expect(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).files).toContain('templates');
  });

  it.each(TEMPLATES)(
    '%s: runs end to end with its scripted fake model and has no coverage warnings',
    async (name) => {
      const dir = join(work, name);
      const init = await runCli(['init', dir, '--template', name, '--json']);
      expect(init.code, init.stderr).toBe(0);
      const created: string[] = JSON.parse(init.stdout).created;
      expect(created).toEqual(
        expect.arrayContaining([
          'assay.yaml',
          `prompts/${name}.prompt.md`,
          `suites/${name}.yaml`,
          `models/${name}.fake.yaml`,
          expect.stringMatching(/^judges\/.+\.judge\.md$/),
        ]),
      );

      // Every case says why it is there, and all four categories have at least 5 cases.
      const suite = parse(readFileSync(join(dir, `suites/${name}.yaml`), 'utf8')) as {
        cases: { id: string; category: string; metadata?: { why?: string } }[];
      };
      for (const c of suite.cases) expect(c.metadata?.why, `${name}/${c.id}`).toMatch(/\w{3,}.*\w/);
      for (const cat of CATEGORIES)
        expect(suite.cases.filter((c) => c.category === cat).length, `${name} ${cat}`).toBeGreaterThanOrEqual(
          5,
        );
      // The judge is used by the suite and is a rubric or checklist judge.
      const judgeFile = created.find((f) => f.endsWith('.judge.md')) as string;
      expect(readFileSync(join(dir, judgeFile), 'utf8')).toMatch(/^kind: (rubric|checklist)$/m);
      expect(readFileSync(join(dir, `suites/${name}.yaml`), 'utf8')).toContain(`judge: ../${judgeFile}`);

      const stats = await runCli([
        'suite',
        'stats',
        join(dir, `suites/${name}.yaml`),
        '-C',
        dir,
        '--strict',
        '--json',
      ]);
      expect(stats.code, stats.stdout + stats.stderr).toBe(0);
      expect(JSON.parse(stats.stdout).warnings).toEqual([]);

      // The scripted model answers every case as the pack's standards require (the judge included).
      const ev = await runCli(['eval', '-C', dir, '--json']);
      expect(ev.code, ev.stdout + ev.stderr).toBe(0);
      const rows = JSON.parse(ev.stdout).reports.flatMap(
        (r: { summary: { groups: { errors: number }[] } }) => r.summary.groups,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ passed: suite.cases.length, errors: 0 });
    },
    120_000,
  );

  it('--model replaces the fake model in assay.yaml and in the judge, so nothing keeps grading with the script', async () => {
    const dir = join(work, 'medical-real');
    const r = await runCli(['init', dir, '--template', 'medical', '--model', 'openai:gpt-4o-mini']);
    expect(r.code, r.stderr).toBe(0);
    const cfg = parse(readFileSync(join(dir, 'assay.yaml'), 'utf8'));
    expect(cfg.models).toEqual(['openai:gpt-4o-mini']);
    expect(readFileSync(join(dir, 'judges/medical.judge.md'), 'utf8')).toMatch(
      /^model: openai:gpt-4o-mini$/m,
    );
    expect(r.stdout).toContain('assay eval -C');
  });

  it('an unknown template is a usage error listing the packs (exit 2), and nothing is written', async () => {
    const dir = join(work, 'nope');
    const r = await runCli(['init', dir, '--template', 'medicine']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "unknown template 'medicine'; expected one of: medical, legal, finance, education, support, rag, agent",
    );
    expect(() => readdirSync(dir)).toThrow();
  });
});
