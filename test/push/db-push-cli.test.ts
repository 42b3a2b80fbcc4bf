import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/cli-harness.ts';
import { gateProject, setVersion } from '../gate/gate-fixture.ts';

let project: ReturnType<typeof gateProject>;
const env = cleanEnv();
beforeAll(async () => {
  project = gateProject();
  expect((await runCli(['eval', '--json'], { cwd: project.dir, env })).code).toBe(0);
  setVersion(project.dir, 'SWAP');
  expect((await runCli(['eval', '--json'], { cwd: project.dir, env })).code).toBe(0);
}, 60_000);
afterAll(() => project?.cleanup());

describe('assay db push', () => {
  it('pushed twice, copies each run once', async () => {
    const team = join(project.dir, 'team.db');
    const first = await runCli(['db', 'push', '--to', team, '--json'], { cwd: project.dir, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(a.runs).toEqual({ copied: 2, skipped: 0 });
    expect(a.results).toBe(60);
    const second = await runCli(['db', 'push', '--to', team, '--json'], { cwd: project.dir, env });
    expect(second.code).toBe(0);
    const b = JSON.parse(second.stdout);
    expect(b).toMatchObject({
      runs: { copied: 0, skipped: 2 },
      results: 0,
      promptVersions: 0,
      labelEvents: 0,
      annotations: 0,
    });
    // the pushed store answers like the local one
    const list = await runCli(['runs', 'list', '--store', team, '--json'], { cwd: project.dir, env });
    expect(JSON.parse(list.stdout).runs).toHaveLength(2);
    const text = await runCli(['db', 'push', '--to', team], { cwd: project.dir, env });
    expect(text.stdout).toMatch(/runs: 0 copied, 2 already there/);
  });

  it('refuses to push a store into itself (exit 2)', async () => {
    const r = await runCli(['db', 'push', '--to', '.assay/assay.db'], { cwd: project.dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/same store/);
  });
});
