import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/app/evaluate.ts';
import { type GateOptions, gate } from '../../src/app/gate.ts';
import { AssayError } from '../../src/core/errors.ts';
import type { RunStatus } from '../../src/core/types.ts';
import { loadProject } from '../../src/project/load-project.ts';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { gateProject, setVersion } from './gate-fixture.ts';

/**
 * The gate must not pass (or fail open) on what it could not check: baseline errors, protected cases
 * errored on either side, a project that does not load, runs that did not complete, a stale replay.
 */
let project: ReturnType<typeof gateProject>;
const env = { PATH: process.env.PATH ?? '' };
beforeAll(() => {
  project = gateProject();
});
afterAll(() => project?.cleanup());

async function run(version: string): Promise<string> {
  setVersion(project.dir, version);
  return (await evaluate({ cwd: project.dir, env })).report.run.id;
}

async function scenario(base: string, candidate: string, opts: Partial<GateOptions> = {}) {
  const baseline = await run(base);
  setVersion(project.dir, candidate);
  return gate({ cwd: project.dir, env, baseline, ...opts });
}

async function setStatus(runId: string, status: RunStatus): Promise<void> {
  const store = openSqliteStore((await loadProject({ cwd: project.dir })).storePath);
  try {
    await store.setRunStatus(runId, status);
  } finally {
    await store.close();
  }
}

describe('assay gate: the baseline is checked too', () => {
  it('errors in the baseline over --max-error-rate → 3, the reason names the baseline', async () => {
    const r = await scenario('ERR', 'BASE');
    expect(r.exitCode).toBe(3);
    expect(r.verdict).toBe('incomplete');
    expect(r.reasons).toEqual([
      'cases: 2/30 baseline results errored (6.7%), over the limit of 0%: an error can hide a regression; fix the errors or raise --max-error-rate',
    ]);
    const ok = await scenario('ERR', 'BASE', { maxErrorRate: 0.1 });
    expect(ok.exitCode).toBe(0);
  });

  it('a protected case that errored in the baseline → 3 (not compared), even when errors are allowed', async () => {
    const r = await scenario('PERR', 'BASE', { maxErrorRate: 0.5 });
    expect(r.exitCode).toBe(3);
    expect(r.reasons).toEqual([
      'cases · qa · fake:bot: protected case c01 errored in the baseline, so it could not be compared',
    ]);
  });

  it('a protected case that errored on both sides → 3 (nothing scored for it)', async () => {
    const r = await scenario('PERR', 'PERR', { maxErrorRate: 0.5 });
    expect(r.exitCode).toBe(3);
    expect(r.reasons).toEqual([
      'cases · qa · fake:bot: protected case c01 errored in the baseline and in the candidate, so it could not be compared',
    ]);
  });
});

describe('assay gate: exit-code precedence', () => {
  it('a protected regression with errors over the limit → 1 (the regression is real); both reasons listed', async () => {
    const r = await scenario('BASE', 'PROTERR');
    expect(r.exitCode).toBe(1);
    expect(r.verdict).toBe('fail');
    expect(r.reasons).toEqual([
      'cases · qa · fake:bot: protected case c01 regressed (pass → fail)',
      'cases: 1/30 candidate results errored (3.3%), over the limit of 0%: an error can hide a regression; fix the errors or raise --max-error-rate',
    ]);
  });

  it('a protected case errored in the candidate → 1 under the default error limit', async () => {
    const r = await scenario('BASE', 'PERR');
    expect(r.exitCode).toBe(1);
    expect(r.reasons[0]).toBe('cases · qa · fake:bot: protected case c01 errored in the candidate');
  });
});

describe('assay gate: run status', () => {
  for (const status of ['over-budget', 'interrupted', 'running', 'failed'] as const)
    it(`a ${status} candidate or baseline run → 3, naming the run and its status`, async () => {
      const a = await run('BASE');
      const b = await run('BASE');
      await setStatus(b, status);
      const r = await gate({ cwd: project.dir, env, baseline: a, candidate: b });
      expect(r.exitCode).toBe(3);
      expect(r.reasons).toEqual([`cases: candidate run ${b} is ${status}, not completed`]);
      await setStatus(b, 'completed');
      await setStatus(a, status);
      const s = await gate({ cwd: project.dir, env, baseline: a, candidate: b });
      expect(s.exitCode).toBe(3);
      expect(s.reasons).toEqual([`cases: baseline run ${a} is ${status}, not completed`]);
      await setStatus(a, 'completed');
      expect((await gate({ cwd: project.dir, env, baseline: a, candidate: b })).exitCode).toBe(0);
    });

  it('a regression on an incomplete run is still a failure (exit 1)', async () => {
    const a = await run('BASE');
    const b = await run('PROT');
    await setStatus(b, 'over-budget');
    const r = await gate({ cwd: project.dir, env, baseline: a, candidate: b });
    expect(r.exitCode).toBe(1);
    expect(r.reasons).toContain(`cases: candidate run ${b} is over-budget, not completed`);
  });
});

describe('assay gate: the protected set must be known', () => {
  it('a project that does not load → exit 2 with the load error (stored runs, explicit --store)', async () => {
    const a = await run('BASE');
    const b = await run('PROT');
    const storePath = (await loadProject({ cwd: project.dir })).storePath;
    const cfg = join(project.dir, 'assay.yaml');
    const good = readFileSync(cfg, 'utf8');
    writeFileSync(cfg, `${good}\nnot: [valid\n`);
    try {
      const err = await gate({ cwd: project.dir, env, store: storePath, baseline: a, candidate: b }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AssayError);
      expect((err as AssayError).exitCode).toBe(2);
      expect((err as AssayError).message).toMatch(/cannot tell which cases are protected: .*assay\.yaml/);
    } finally {
      writeFileSync(cfg, good);
    }
  });

  it('runs of a suite the project no longer has → exit 2', async () => {
    const a = await run('BASE');
    const b = await run('PROT');
    const cfg = join(project.dir, 'assay.yaml');
    const good = readFileSync(cfg, 'utf8');
    writeFileSync(join(project.dir, 'other.jsonl'), readFileSync(join(project.dir, 'cases.jsonl')));
    writeFileSync(cfg, good.replace('suites: [cases.jsonl]', 'suites: [other.jsonl]'));
    try {
      const err = await gate({ cwd: project.dir, env, baseline: a, candidate: b }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AssayError);
      expect((err as AssayError).exitCode).toBe(2);
      expect((err as AssayError).message).toMatch(/suite cases is not in the project/);
    } finally {
      writeFileSync(cfg, good);
      rmSync(join(project.dir, 'other.jsonl'));
    }
  });
});

describe('assay gate --replay: a stale recording cannot pass silently', () => {
  it('a baseline call with no recording errors, and the gate exits 3 naming the baseline', async () => {
    const p = gateProject();
    try {
      const git = (...args: string[]) => execFileSync('git', args, { cwd: p.dir, encoding: 'utf8' });
      git('init', '-q', '-b', 'main');
      git('config', 'user.email', 'ci@example.com');
      git('config', 'user.name', 'CI');
      writeFileSync(join(p.dir, '.gitignore'), '.assay/\nrec/\n');
      git('add', '-A');
      git('commit', '-q', '-m', 'base');
      setVersion(p.dir, 'SWAP');
      git('commit', '-q', '-am', 'swap');
      const recorded = await gate({ cwd: p.dir, env, baseline: 'git:HEAD~1', record: 'rec' });
      expect(recorded.exitCode).toBe(0);
      // The recording goes stale: the baseline's answer for c05 is lost.
      const rec = join(p.dir, 'rec');
      const stale = readdirSync(rec).filter(
        (f) => f.endsWith('.json') && readFileSync(join(rec, f), 'utf8').includes('BASE c05'),
      );
      expect(stale).toHaveLength(1);
      rmSync(join(rec, stale[0] as string));
      const r = await gate({ cwd: p.dir, env, baseline: 'git:HEAD~1', replay: 'rec' });
      expect(r.exitCode).toBe(3);
      expect(r.reasons).toEqual([
        'cases: 1/30 baseline results errored (3.3%), over the limit of 0%: an error can hide a regression; fix the errors or raise --max-error-rate',
      ]);
    } finally {
      p.cleanup();
    }
  });
});
