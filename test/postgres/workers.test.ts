import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { resultKey } from '../../src/store/store.ts';
import {
  type CliResult,
  cleanEnv,
  runCli,
  scratchProject,
  startCli,
  waitCli,
  writeFiles,
} from '../cli/cli-harness.ts';
import { startTestPostgres, type TestPostgres } from '../store-conformance/pg-server.ts';

let server: TestPostgres;

beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

const cases = 150;
const repeats = 2;
const planned = cases * repeats;

/** 150 cases × 2 repeats on a fake model that takes 60 ms a call: a few seconds of work for three workers. */
function project(n = cases, system = 'Answer.'): ReturnType<typeof scratchProject> {
  const p = scratchProject(false);
  const suite = Array.from(
    { length: n },
    (_, i) =>
      `  - id: case-${String(i).padStart(3, '0')}\n    vars: { message: "ping ${i}" }\n    checks: [{ contains: "pong" }]`,
  ).join('\n');
  writeFiles(p.dir, {
    'assay.yaml': [
      'prompts: [p.prompt.md]',
      'suites: [s.yaml]',
      'models:',
      '  - id: fake:slow',
      '    script: slow.yaml',
      'defaults:',
      '  concurrency: 2',
      `  repeats: ${repeats}`,
      '',
    ].join('\n'),
    'slow.yaml': 'rules:\n  - contains: ping\n    delayMs: 60\n    reply: "pong {{last_user}}"\n',
    'p.prompt.md': `---\nname: p\nvariables:\n  message: { type: string }\n---\n# system\n${system}\n# user\n{{ message }}\n`,
    's.yaml': `name: s\ncases:\n${suite}\n`,
  });
  return p;
}

async function until(what: string, ms: number, test: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('distributed workers on the PostgreSQL team store', () => {
  it('three workers, one killed mid-run: every result stored exactly once and the run completed', async () => {
    const db = await server.freshDatabase();
    const p = project();
    const workers: ChildProcess[] = [];
    try {
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const queued = await runCli(['eval', '--queue', '-C', p.dir, '--json'], { env });
      expect(queued.stderr).toBe('');
      expect(queued.code).toBe(0);
      const run = JSON.parse(queued.stdout).queued[0] as { id: string; planned: number; jobs: number };
      expect(run).toMatchObject({ planned, jobs: Math.ceil(planned / 25) });

      const store = await openPostgresStore(db.url, { poolSize: 1 });
      try {
        expect((await store.getRun(run.id))?.status).toBe('running');
        // The victim starts first, so it surely holds jobs; the other two join once it is working.
        workers.push(startCli(['worker', '--once', '-C', p.dir], { env }));
        await until('the first results', 30_000, async () => (await store.countResults(run.id)) >= 10);
        for (let i = 0; i < 2; i++) workers.push(startCli(['worker', '--once', '-C', p.dir], { env }));
        const results = workers.map((w) => waitCli(w));
        // Kill it (no clean-up: SIGKILL) while all three work: some results stored, most not.
        await until('more results', 30_000, async () => (await store.countResults(run.id)) >= 60);
        const victim = workers[0] as ChildProcess;
        victim.kill('SIGKILL');
        const killed = (await results[0]) as CliResult;
        expect(killed.signal).toBe('SIGKILL');
        const atKill = await store.countResults(run.id);
        expect(atKill).toBeLessThan(planned);

        // The survivors finish the queue, the dead worker's job included once its heartbeat lapses.
        const survivors = (await Promise.all(results.slice(1))) as CliResult[];
        for (const s of survivors) {
          expect(s.stderr).not.toMatch(/internal error|failed \(attempt/);
          expect(s.code).toBe(0);
        }
        expect(survivors.map((s) => s.stderr).join('')).toMatch(
          new RegExp(`run ${run.id} completed: ${planned} results`),
        );

        const done = await store.getRun(run.id);
        expect(done?.status).toBe('completed');
        expect(done?.finishedAt).toBeDefined();
        const keys: string[] = [];
        for await (const r of store.iterateResults(run.id)) {
          keys.push(resultKey(r));
          expect(r.status).toBe('pass');
        }
        expect(keys).toHaveLength(planned);
        expect(new Set(keys).size).toBe(planned);
        expect(await store.countResults(run.id)).toBe(planned);
      } finally {
        await store.close();
      }

      // The killed worker's job was handed out again (a retry), and every job ended completed.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ state: string; n: string; retried: string }>(
          `SELECT state, count(*) AS n, count(*) FILTER (WHERE retry_count > 0) AS retried
           FROM assay_queue.job WHERE name = 'assay-eval' GROUP BY state`,
        );
        expect(rows.map((r) => r.state)).toEqual(['completed']);
        expect(Number(rows[0]?.n)).toBe(run.jobs);
        expect(Number(rows[0]?.retried)).toBeGreaterThanOrEqual(1);
      } finally {
        await client.end();
      }

      // The run reports like a local one.
      const show = await runCli(['runs', 'show', run.id, '-C', p.dir, '--json'], { env });
      expect(show.code).toBe(0);
      const shown = JSON.parse(show.stdout);
      expect(shown.report.run).toMatchObject({ id: run.id, status: 'completed', planned });
      expect(shown.report.summary.total).toBe(planned);
    } finally {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
      p.cleanup();
      await db.drop();
    }
  }, 180_000);

  it('a worker with another version of the project drops the jobs and fails the run; a resume finishes it', async () => {
    const db = await server.freshDatabase();
    const p = project(30);
    const stale = project(30, 'Answer briefly.');
    try {
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const queued = await runCli(['eval', '--queue', '-C', p.dir, '--json'], { env });
      expect(queued.code).toBe(0);
      const run = JSON.parse(queued.stdout).queued[0] as { id: string; jobs: number };
      expect(run.jobs).toBe(3);

      // Its jobs are still queued: a resume now would enqueue (and pay for) them twice.
      const early = await runCli(['eval', '--queue', '--resume', run.id, '-C', p.dir], { env });
      expect(early.code).toBe(2);
      expect(early.stderr).toMatch(/still has jobs queued or running/);

      const wrong = await runCli(['worker', '--once', '-C', stale.dir], { env });
      if (process.env.SHOW) console.log(wrong.stderr);
      expect(wrong.code).toBe(0);
      expect(wrong.stderr).toContain(`run ${run.id} was planned from another version of the project`);
      expect(wrong.stderr).toMatch(
        /prompt 'p' differs: the run has version \w+, this project \w+ \(p\.prompt\.md\)/,
      );
      expect(wrong.stderr).toMatch(/0 job\(s\) done, 3 given back, 0 result\(s\) stored/);
      const store = await openPostgresStore(db.url, { poolSize: 1 });
      try {
        expect((await store.getRun(run.id))?.status).toBe('failed');
        expect(await store.countResults(run.id)).toBe(0);
      } finally {
        await store.close();
      }

      // From the right checkout: re-enqueue what is missing and follow the worker to the report.
      const worker = startCli(['worker', '-C', p.dir], { env });
      try {
        const resumed = await runCli(['eval', '--queue', '--resume', run.id, '--wait', '-C', p.dir], {
          env,
        });
        if (process.env.SHOW) console.log(resumed.stdout, resumed.stderr);
        expect(resumed.code).toBe(0);
        expect(resumed.stdout).toMatch(/pass/i);
        expect(resumed.stdout).toContain('fake:slow');
      } finally {
        worker.kill('SIGTERM');
      }
      const stopped = await waitCli(worker);
      if (process.env.SHOW) console.log(stopped.stderr);
      expect(stopped.code).toBe(143);
      expect(stopped.stderr).toMatch(new RegExp(`run ${run.id} completed: ${30 * repeats} results`));
      const after = await openPostgresStore(db.url, { poolSize: 1 });
      try {
        expect((await after.getRun(run.id))?.status).toBe('completed');
        expect(await after.countResults(run.id)).toBe(30 * repeats);
      } finally {
        await after.close();
      }
      const again = await runCli(['eval', '--queue', '--resume', run.id, '-C', p.dir], { env });
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/already complete with no errors; nothing to resume/);
    } finally {
      p.cleanup();
      stale.cleanup();
      await db.drop();
    }
  }, 120_000);

  it('SIGTERM: a worker stores its calls in flight and gives its jobs back; another finishes them', async () => {
    const db = await server.freshDatabase();
    const p = project(60);
    try {
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const queued = await runCli(['eval', '--queue', '-C', p.dir, '--json'], { env });
      const run = JSON.parse(queued.stdout).queued[0] as { id: string };
      const store = await openPostgresStore(db.url, { poolSize: 1 });
      try {
        const first = startCli(['worker', '-C', p.dir], { env });
        const stopped = waitCli(first);
        await until('the first results', 30_000, async () => (await store.countResults(run.id)) >= 10);
        first.kill('SIGTERM');
        const out = await stopped;
        expect(out.code).toBe(143);
        expect(out.stderr).toMatch(/SIGTERM: finishing the calls in flight/);
        expect(out.stderr).toMatch(/failed \(attempt 1 of 6\): stopped before all of its items were done/);
        expect(out.stderr).toMatch(/[1-9]\d* given back/);
        const atStop = await store.countResults(run.id);
        expect(atStop).toBeGreaterThan(0);
        expect(atStop).toBeLessThan(60 * repeats);

        const second = await runCli(['worker', '--once', '-C', p.dir], { env });
        expect(second.code).toBe(0);
        expect(second.stderr).toMatch(/already stored/);
        const keys: string[] = [];
        for await (const r of store.iterateResults(run.id)) keys.push(resultKey(r));
        expect(keys).toHaveLength(60 * repeats);
        expect(new Set(keys).size).toBe(60 * repeats);
        expect((await store.getRun(run.id))?.status).toBe('completed');
      } finally {
        await store.close();
      }
    } finally {
      p.cleanup();
      await db.drop();
    }
  }, 120_000);

  it('a job skips the items already stored (as a dead worker left them) before calling the model', async () => {
    const db = await server.freshDatabase();
    const p = project(20);
    try {
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const queued = await runCli(['eval', '--queue', '-C', p.dir, '--json'], { env });
      const run = JSON.parse(queued.stdout).queued[0] as { id: string; jobs: number };
      expect(run.jobs).toBe(2);
      const store = await openPostgresStore(db.url, { poolSize: 1 });
      try {
        const version = (await store.getRun(run.id))?.manifest.prompts[0]?.version as string;
        // The first job's first two items, stored before any worker ran.
        await store.writeResults(
          [0, 1].map((repeat) => ({
            runId: run.id,
            prompt: 'p',
            promptVersion: version,
            modelId: 'fake:slow',
            caseId: 'case-000',
            repeat,
            status: 'pass' as const,
            output: 'written before',
            checks: [],
            score: 1,
            usage: {},
            cost: 0,
            attempts: 1,
            cached: false,
            tags: [],
            createdAt: new Date().toISOString(),
          })),
        );
        const worker = await runCli(['worker', '--once', '-C', p.dir], { env });
        expect(worker.code).toBe(0);
        expect(worker.stderr).toMatch(/: 23 result\(s\) stored, 2 already stored \(/);
        expect(worker.stderr).toMatch(/: 15 result\(s\) stored \(\d+\.\d s\)\n/);
        const outputs = new Map<string, string | undefined>();
        for await (const r of store.iterateResults(run.id)) outputs.set(resultKey(r), r.output);
        expect(outputs.size).toBe(20 * repeats);
        expect([...outputs.values()].filter((o) => o === 'written before')).toHaveLength(2);
        expect((await store.getRun(run.id))?.status).toBe('completed');
      } finally {
        await store.close();
      }
    } finally {
      p.cleanup();
      await db.drop();
    }
  }, 120_000);

  it('a running worker reads its checkout again when a new run was planned from a newer version', async () => {
    const db = await server.freshDatabase();
    const p = project(10);
    try {
      const env = cleanEnv({ ASSAY_DATABASE_URL: db.url });
      const worker = startCli(['worker', '-C', p.dir], { env });
      let log = '';
      worker.stderr?.on('data', (d) => {
        log += String(d);
      });
      const exited = waitCli(worker);
      await until('the worker to start', 30_000, async () => log.includes('started'));
      // The prompt changes after the worker loaded the project (a `git pull` on its machine).
      writeFiles(p.dir, {
        'p.prompt.md':
          '---\nname: p\nvariables:\n  message: { type: string }\n---\n# system\nBe brief.\n# user\n{{ message }}\n',
      });
      const queued = await runCli(['eval', '--queue', '-C', p.dir, '--json'], { env });
      expect(queued.code).toBe(0);
      const run = JSON.parse(queued.stdout).queued[0] as { id: string };
      const store = await openPostgresStore(db.url, { poolSize: 1 });
      try {
        await until(
          'the run to complete',
          60_000,
          async () => (await store.getRun(run.id))?.status === 'completed',
        );
        expect(await store.countResults(run.id)).toBe(10 * repeats);
      } finally {
        await store.close();
        worker.kill('SIGTERM');
      }
      await exited;
      expect(log).toContain(`project reloaded from ${p.dir}: it now matches run ${run.id}`);
    } finally {
      p.cleanup();
      await db.drop();
    }
  }, 120_000);

  it('refuses --queue without the PostgreSQL store, and flags it cannot honour, with exit 2', async () => {
    const p = project(3);
    try {
      const local = await runCli(['eval', '--queue', '-C', p.dir], { env: cleanEnv() });
      expect(local.code).toBe(2);
      expect(local.stderr).toMatch(/--queue needs the PostgreSQL team store.*ASSAY_DATABASE_URL/);
      const worker = await runCli(['worker', '-C', p.dir], { env: cleanEnv() });
      expect(worker.code).toBe(2);
      expect(worker.stderr).toMatch(/a worker needs the PostgreSQL team store/);
      const env = cleanEnv({ ASSAY_DATABASE_URL: 'postgres://u:secret-pw@127.0.0.1:1/x' });
      const cost = await runCli(['eval', '--queue', '--max-cost', '1', '-C', p.dir], { env });
      expect(cost.code).toBe(2);
      expect(cost.stderr).toMatch(/--max-cost .* cannot be used with --queue/);
      const wait = await runCli(['eval', '--wait', '-C', p.dir], { env: cleanEnv() });
      expect(wait.code).toBe(2);
      expect(wait.stderr).toMatch(/--wait needs --queue/);
      const down = await runCli(['eval', '--queue', '-C', p.dir], { env });
      expect(down.code).toBe(2);
      expect(down.stderr).not.toContain('secret-pw');
      if (process.env.SHOW) for (const r of [local, worker, cost, wait, down]) console.log(r.stderr);
      for (const r of [local, worker, cost, wait, down])
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      p.cleanup();
    }
  }, 60_000);
});
