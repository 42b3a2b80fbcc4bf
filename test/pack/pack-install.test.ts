import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, repoRoot } from '../cli/cli-harness.ts';

// npm pack → install the tarball into an empty folder → use it as a user would.
let dir: string;
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-pack-'));
  npm(['pack', '--pack-destination', dir, '--loglevel=error'], repoRoot);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'pack-test', private: true, type: 'module' }),
  );
  npm(['install', '--no-audit', '--no-fund', '--loglevel=error', join(dir, tarball)], dir);
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the published package', () => {
  it('ships no tests, no sources of secrets, and a working bin', () => {
    const files = execFileSync(
      'tar',
      ['-tzf', join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz')) ?? '')],
      {
        encoding: 'utf8',
      },
    );
    expect(files).toMatch(/package\/dist\/index\.js/);
    expect(files).toMatch(/package\/dist\/index\.d\.ts/);
    expect(files).toMatch(/package\/schemas\/config\.schema\.json/);
    expect(files).toMatch(/package\/examples\/support\/assay\.yaml/);
    expect(files).not.toMatch(/\.test\.(ts|js)/);
    expect(files).not.toMatch(/test-helpers/);
  });

  it('assay init and assay eval with the fake model work from the installed package', () => {
    const bin = join(dir, 'node_modules/.bin/assay');
    const init = spawnSync(bin, ['init', 'proj'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(init.status).toBe(0);
    const ev = spawnSync(bin, ['eval', '-C', 'proj', '--model', 'fake:echo', '--json'], {
      cwd: dir,
      env: cleanEnv(),
      encoding: 'utf8',
    });
    expect(ev.stderr).toBe('');
    expect([0, 1]).toContain(ev.status);
    const { reports } = JSON.parse(ev.stdout);
    expect(reports.map((r: { summary: { total: number } }) => r.summary.total)).toEqual([8, 4]);
    expect(reports[0].summary.groups[0].modelId).toBe('fake:echo');
  });

  it('exports evaluate and defineConfig with their types', () => {
    writeFileSync(
      join(dir, 'use.ts'),
      [
        "import { compareRuns, defineConfig, evaluate, type EvalReport, type Verdict } from 'assay';",
        "import { mcnemarExact, wilsonInterval } from 'assay/stats';",
        "const config = defineConfig({ prompts: ['prompts/*.prompt.md'], suites: ['suites/support.yaml'], models: ['fake:echo'] });",
        "const { reports, exitCode }: { reports: EvalReport[]; exitCode: number } = await evaluate({ cwd: 'proj', models: ['fake:echo'] });",
        'const rate: number | undefined = reports[0]?.summary.groups[0]?.passRate?.estimate;',
        'const total = reports.reduce((n, r) => n + r.summary.total, 0);',
        "const cmp = await compareRuns({ cwd: 'proj', baseline: 'latest~3', candidate: 'latest~1' });",
        'const verdict: Verdict = cmp.verdict;',
        'const w = wilsonInterval(17, 20);',
        'console.log(JSON.stringify({ n: config.prompts.length, total, exitCode, rate, verdict, lower: w.lower, p: mcnemarExact(8, 2) }));',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          target: 'es2024',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules/@types')],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', dir], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = spawnSync(process.execPath, ['use.ts'], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '');
    expect(out).toMatchObject({ n: 1, total: 12, verdict: 'no detectable difference' });
    expect(out.lower).toBeCloseTo(0.6396, 4); // stats-judges §8.7 golden values
    expect(out.p).toBeCloseTo(0.1094, 4);
  });
});
