import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { cleanEnv, runCli } from '../cli/cli-harness.ts';
import { gateProject, setVersion } from '../gate/gate-fixture.ts';

/** `assay compare` and `assay gate` take NAME@LABEL and NAME@VERSION, with the scripted fake model. */
let stored: ReturnType<typeof gateProject>;
let fresh: ReturnType<typeof gateProject>;
let baseRun: string;
let baseVersion: string;
let baseSource: string;
const env = cleanEnv();

const label = (dir: string, version: string) =>
  writeFileSync(join(dir, 'assay.labels.yaml'), `qa:\n  production: "${version}"\n`);

beforeAll(async () => {
  stored = gateProject();
  const base = await runCli(['eval', '--json'], { cwd: stored.dir, env });
  expect(base.code).toBe(0);
  const store = openSqliteStore(join(stored.dir, '.assay/assay.db'));
  const run = await store.findRun('latest');
  baseRun = run?.id as string;
  await store.close();
  const prompt = run?.manifest.prompts[0];
  baseVersion = prompt?.version as string;
  // the file's text as evaluated (a manifest keeps the canonical form, not the file)
  baseSource = readFileSync(join(stored.dir, 'prompts/qa.prompt.md'), 'utf8');
  label(stored.dir, baseVersion);
  setVersion(stored.dir, 'WORSE');
  expect((await runCli(['eval', '--json'], { cwd: stored.dir, env })).code).toBe(0);
  fresh = gateProject();
}, 60_000);
afterAll(() => {
  stored?.cleanup();
  fresh?.cleanup();
});

describe('NAME@LABEL / NAME@VERSION references', () => {
  it('assay compare qa@production latest compares the labelled version’s newest run', async () => {
    const r = await runCli(['compare', 'qa@production', 'latest', '--json'], { cwd: stored.dir, env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.baselineRun.id).toBe(baseRun);
    expect(json.comparisons[0].verdict).toBe('worse');
  });

  it('a version prefix works too; an unknown label names the known ones (exit 2)', async () => {
    const r = await runCli(['compare', `qa@${baseVersion.slice(0, 6)}`, 'latest', '--json'], {
      cwd: stored.dir,
      env,
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).baselineRun.id).toBe(baseRun);
    const bad = await runCli(['compare', 'qa@staging', 'latest'], { cwd: stored.dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no label 'staging'.*labels: production/);
  });

  it('assay gate --baseline qa@production uses its stored run and fails on the regression', async () => {
    const r = await runCli(['gate', '--baseline', 'qa@production', '--json'], { cwd: stored.dir, env });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.baseline.runs).toEqual([baseRun]);
    expect(json.comparisons[0].comparison.verdict).toBe('worse');
  });

  it('with no run of that version, the gate evaluates the labelled source the store recorded', async () => {
    // A store that knows the version (pushed from elsewhere) but holds no run of it; the file moved on.
    const store = openSqliteStore(join(fresh.dir, '.assay/assay.db'));
    await store.putPromptVersion({
      name: 'qa',
      version: baseVersion,
      file: 'prompts/qa.prompt.md',
      source: baseSource,
      createdAt: new Date().toISOString(),
    });
    await store.close();
    label(fresh.dir, baseVersion);
    setVersion(fresh.dir, 'WORSE');
    const r = await runCli(['gate', '--baseline', 'qa@production', '--json'], { cwd: fresh.dir, env });
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.baseline.prompt).toEqual({ name: 'qa', version: baseVersion, label: 'production' });
    expect(json.comparisons[0].comparison.verdict).toBe('worse');
    expect(
      json.comparisons[0].comparison.flips.filter((f: { kind: string }) => f.kind === 'regression'),
    ).toHaveLength(10);
    // the working file is untouched
    expect(readFileSync(join(fresh.dir, 'prompts/qa.prompt.md'), 'utf8')).toMatch(/^---[\s\S]*WORSE/);
  });
});
