import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { runCli, scratchProject, startCli, waitCli, writeFiles } from './cli-harness.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ latencyMs: 60 });
});
afterAll(async () => {
  await server?.close();
});

/** A project of `n` one-line cases against the test server; every answer echoes and passes. */
function project(n: number, extra: Record<string, string> = {}) {
  const p = scratchProject(false);
  const cases = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `c${i}`, vars: { n: i } })).join(
    '\n',
  );
  writeFiles(p.dir, {
    'assay.yaml': [
      'prompts: [q.prompt.md]',
      'suites: [cases.jsonl]',
      'models:',
      '  - id: openai-compatible:test',
      `    baseUrl: ${server.url}`,
      'defaults:',
      '  checks:',
      '    - contains: "number"',
      ...(extra['prices.yaml'] ? ['prices: prices.yaml'] : []),
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n',
    'cases.jsonl': `${cases}\n`,
    ...extra,
  });
  return p;
}

async function storedResults(
  dir: string,
): Promise<{ id: string; total: number; planned: number; status: string }> {
  const r = await runCli(['runs', 'show', 'latest', '-C', dir, '--json']);
  const j = JSON.parse(r.stdout);
  return {
    id: j.report.run.id,
    total: j.report.summary.total,
    planned: j.report.run.planned,
    status: j.report.run.status,
  };
}

describe('interrupted runs resume without repeating completed calls', () => {
  it('SIGKILL mid-run, then --resume completes the run; the request counter proves no repeats', async () => {
    const p = project(60);
    try {
      const before = server.requests;
      const child = startCli(['eval', '-C', p.dir, '-j', '2']);
      const done = waitCli(child);
      while (server.completions - before < 20) await sleep(20);
      await sleep(400); // let a batch reach the store
      child.kill('SIGKILL');
      const killed = await done;
      expect(killed.signal).toBe('SIGKILL');
      const mid = await storedResults(p.dir);
      expect(mid.planned).toBe(60);
      expect(mid.total).toBeGreaterThan(0);
      expect(mid.total).toBeLessThan(60);
      expect(mid.status).toBe('running'); // killed: nobody could mark it

      const beforeResume = server.requests;
      const resumed = await runCli(['eval', '-C', p.dir, '--resume', '--json']);
      expect(resumed.code).toBe(0);
      const report = JSON.parse(resumed.stdout).reports[0];
      expect(report.run.id).toBe(mid.id);
      expect(report.run.status).toBe('completed');
      expect(report.summary.total).toBe(60);
      expect(report.summary.groups[0].passed).toBe(60);
      // Answers that arrived before the kill but were not yet stored come from the cache, unpaid again.
      const cachedOnResume = report.summary.groups[0].cached;
      expect(server.requests - beforeResume + cachedOnResume).toBe(60 - mid.total);
    } finally {
      p.cleanup();
    }
  });

  it('SIGINT stops cleanly: in-flight results saved, run marked interrupted, exit 130, resumable', async () => {
    const p = project(60);
    try {
      const before = server.completions;
      const child = startCli(['eval', '-C', p.dir, '-j', '2']);
      const done = waitCli(child);
      while (server.completions - before < 10) await sleep(20);
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      expect(r.stdout).toMatch(/--resume/);
      const mid = await storedResults(p.dir);
      expect(mid.status).toBe('interrupted');
      const beforeResume = server.requests;
      const resumed = await runCli(['eval', '-C', p.dir, '--resume', mid.id]);
      expect(resumed.code).toBe(0);
      expect(server.requests - beforeResume).toBe(60 - mid.total);
    } finally {
      p.cleanup();
    }
  });

  it('a second Ctrl-C aborts in-flight calls but still saves finished results and marks the run interrupted', async () => {
    const p = project(60);
    try {
      const before = server.completions;
      const child = startCli(['eval', '-C', p.dir, '-j', '4']);
      const done = waitCli(child);
      while (server.completions - before < 8) await sleep(20);
      child.kill('SIGINT');
      await sleep(5);
      child.kill('SIGINT');
      const r = await done;
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/aborting in-flight calls/);
      const mid = await storedResults(p.dir);
      expect(mid.status).toBe('interrupted');
      expect(mid.total).toBeGreaterThan(0);
      const beforeResume = server.requests;
      const resumed = await runCli(['eval', '-C', p.dir, '--resume', '--json']);
      expect(resumed.code).toBe(0);
      const report = JSON.parse(resumed.stdout).reports[0];
      expect(report.summary.total).toBe(60);
      expect(server.requests - beforeResume + report.summary.groups[0].cached).toBe(60 - mid.total);
    } finally {
      p.cleanup();
    }
  });

  it('SIGTERM exits 143', async () => {
    const p = project(40);
    try {
      const before = server.completions;
      const child = startCli(['eval', '-C', p.dir, '-j', '1']);
      const done = waitCli(child);
      while (server.completions - before < 3) await sleep(20);
      child.kill('SIGTERM');
      expect((await done).code).toBe(143);
    } finally {
      p.cleanup();
    }
  });

  it('--max-cost stops at the cap (exit 3) and --resume with a higher cap finishes', async () => {
    // $10 per million tokens each way; each call is ~10–20 tokens → ~$0.0002 per call.
    const p = project(30, { 'prices.yaml': '"openai-compatible:test": { input: 10, output: 10 }\n' });
    try {
      const before = server.requests;
      const capped = await runCli(['eval', '-C', p.dir, '-j', '2', '--max-cost', '0.002', '--json']);
      expect(capped.code).toBe(3);
      const rep = JSON.parse(capped.stdout).reports[0];
      expect(rep.incomplete).toBe('over-budget');
      expect(rep.run.cost).toBeLessThanOrEqual(0.002);
      expect(rep.summary.total).toBeGreaterThan(0);
      expect(rep.summary.total).toBeLessThan(30);
      const sent = server.requests - before;
      const resumed = await runCli(['eval', '-C', p.dir, '--resume', '--max-cost', '1', '--json']);
      expect(resumed.code).toBe(0);
      const fin = JSON.parse(resumed.stdout).reports[0];
      expect(fin.summary.total).toBe(30);
      expect(server.requests - before).toBe(sent + (30 - rep.summary.total));
    } finally {
      p.cleanup();
    }
  });
});
