import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { withNoNetwork } from '../../src/test-helpers/with-no-network.ts';
import { startUi } from '../../src/ui/server/start-ui.ts';
import { assayBin, cleanEnv, repoRoot, waitCli } from '../cli/cli-harness.ts';

/**
 * No unexpected network (docs/reliability.md): with every model fake, eval, report, the UI's API,
 * redteam and optimize make no connection outside loopback — checked in process with `withNoNetwork`
 * (which records every attempt, even a swallowed one), and in child processes inside a network namespace
 * with no interfaces at all.
 */

let base: string;
const copy = (example: string, name: string): string => {
  const dir = join(base, name);
  cpSync(join(repoRoot, example), dir, { recursive: true, filter: (s) => !s.includes('.assay') });
  return dir;
};
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'assay-nonet-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Runs the CLI in this process (so withNoNetwork sees every socket), with output captured. */
async function inProcess(args: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  const capture = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  try {
    const code = await main(args);
    return { code, out: chunks.join('') };
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
  }
}

describe('no outbound connection with every model local or fake (withNoNetwork)', () => {
  it('eval, report (HTML and Markdown), the UI API, compare', async () => {
    const dir = copy('examples/support', 'support');
    await withNoNetwork(async () => {
      const first = await inProcess(['eval', '-C', dir, '-m', 'fake:echo']);
      expect([0, 1]).toContain(first.code); // 1: the example's threshold, not a crash
      const second = await inProcess(['eval', '-C', dir, '-m', 'fake:echo', '--no-cache']);
      expect([0, 1]).toContain(second.code);
      expect((await inProcess(['report', '-C', dir, '-o', join(dir, 'r.html')])).code).toBe(0);
      expect(
        (await inProcess(['report', '-C', dir, '-o', join(dir, 'r.md'), '--compare', 'latest~2'])).code,
      ).toBe(0);
      expect((await inProcess(['compare', 'latest~2', 'latest', '-C', dir, '--json'])).code).toBe(0);
      const staticDir = join(dir, 'static');
      mkdirSync(staticDir);
      writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Assay</title>');
      const ui = await startUi({ cwd: dir, staticDir });
      try {
        const get = async (path: string) => {
          const r = await fetch(`http://127.0.0.1:${ui.port}${path}`, {
            headers: { Authorization: `Bearer ${ui.token}` },
          });
          expect(r.status, path).toBe(200);
          return r.json() as Promise<Record<string, unknown>>;
        };
        const { runs } = (await get('/api/runs')) as { runs: { id: string }[] };
        expect(runs.length).toBe(4);
        const id = runs[0]?.id as string;
        await get(`/api/runs/${id}`);
        await get(`/api/runs/${id}/results?limit=5&q=refund`);
        await get('/api/prompts');
        await get('/api/judges');
      } finally {
        await ui.close();
      }
    });
    expect(existsSync(join(dir, 'r.html'))).toBe(true);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).not.toMatch(
      /<script[^>]+src="https?:|<link[^>]+href="https?:/,
    );
  }, 60_000);

  it('redteam (attacks generated, target and judge called, report) and optimize (proposer and target)', async () => {
    const rt = copy('examples/redteam', 'redteam');
    const opt = copy('examples/optimize/project', 'optimize');
    await withNoNetwork(async () => {
      const r = await inProcess(['redteam', '-C', rt, '--json']);
      expect([0, 1], r.out.slice(-500)).toContain(r.code);
      expect(JSON.parse(r.out.slice(r.out.indexOf('{')))).toBeTruthy();
      const o = await inProcess([
        'optimize',
        'support',
        '-C',
        opt,
        '-m',
        'fake:support-bot',
        '--proposer',
        'fake:proposer',
        '--json',
      ]);
      expect([0, 1], o.out.slice(-500)).toContain(o.code);
    });
  }, 120_000);
});

describe('inside a network namespace with no interfaces (unshare -n)', () => {
  const permitted = spawnSync('unshare', ['-n', 'true']).status === 0;
  const skip = !permitted && !process.env.CI;
  if (skip)
    console.warn('no-network namespace test skipped: `unshare -n` is not permitted here (it runs in CI)');

  it.skipIf(skip)(
    'eval, report, redteam and optimize succeed with no network at all',
    async () => {
      const dir = copy('examples/support', 'ns-support');
      const rt = copy('examples/redteam', 'ns-redteam');
      const opt = copy('examples/optimize/project', 'ns-optimize');
      const inNamespace = async (args: string[]) =>
        waitCli(
          spawn('unshare', ['-n', process.execPath, assayBin, ...args], {
            env: cleanEnv(),
            stdio: ['ignore', 'pipe', 'pipe'],
          }),
        );
      const checks: [string[], number[]][] = [
        [
          ['eval', '-C', dir, '-m', 'fake:echo'],
          [0, 1],
        ],
        [['report', '-C', dir, '-o', join(dir, 'r.html')], [0]],
        [
          ['redteam', '-C', rt],
          [0, 1],
        ],
        [
          ['optimize', 'support', '-C', opt, '-m', 'fake:support-bot', '--proposer', 'fake:proposer'],
          [0, 1],
        ],
      ];
      for (const [args, codes] of checks) {
        const r = await inNamespace(args);
        expect(codes, `${args.join(' ')}\n${r.stdout.slice(-400)}\n${r.stderr.slice(-400)}`).toContain(
          r.code,
        );
        expect(r.stdout + r.stderr).not.toMatch(
          /ENETUNREACH|ENOTFOUND|EAI_AGAIN|fetch failed|internal error/,
        );
      }
      // The namespace really has no network: a connection attempt from it fails.
      const probe = await inNamespace([
        'eval',
        '-C',
        dir,
        '-m',
        'openai-compatible:x',
        '--base-url',
        'http://198.51.100.7/v1',
        '--max-retries',
        '0',
        '--timeout',
        '2000',
      ]);
      expect(probe.stdout + probe.stderr).toMatch(/error/i);
      expect(probe.code).toBe(3);
    },
    120_000,
  );
});
