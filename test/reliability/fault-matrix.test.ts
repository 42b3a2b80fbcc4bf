import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Fault, startTestServer, type TestServer } from '../../src/test-helpers/test-server.ts';
import { assayBin, cleanEnv, startCli, waitCli } from '../cli/cli-harness.ts';
import { dbCheck, evalJson, faultProject, holdWriteLock, storedRun } from './fault-harness.ts';
import { type FaultProxy, type ProxyFault, startFaultProxy } from './fault-proxy.ts';

/**
 * The fault matrix (docs/reliability.md): one row per fault, each with its documented outcome. For every
 * row: no result lost (every planned item stored exactly once, as pass, fail or error), no paid call
 * repeated (the server's request counter), and `assay db check` passes on the store afterwards.
 */

let server: TestServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});
afterEach(() => {
  server.reset();
  server.latencyMs = 0;
  proxy.always(undefined);
});

const N = 6;

/** Every planned item stored exactly once, and the store passes `assay db check`. */
async function expectConsistent(dir: string, planned = N): Promise<Awaited<ReturnType<typeof storedRun>>> {
  const stored = await storedRun(join(dir, '.assay/assay.db'));
  expect(stored.planned).toBe(planned);
  expect(stored.rows).toBe(planned);
  expect(stored.keys).toBe(planned);
  const check = await dbCheck(dir);
  expect(check.problems).toEqual([]);
  expect(check.code).toBe(0);
  return stored;
}

interface ServerRow {
  fault: string;
  faults: Fault[];
  args?: string[];
  /** The error kind the retried attempt had (seen in the retry count; the result itself passes). */
  outcome: string;
  minMs?: number;
}

/** Faults a retry absorbs: each costs exactly one extra request, and every item passes. */
const retried: ServerRow[] = [
  {
    fault: '429 with Retry-After: 1',
    faults: [{ status: 429, retryAfter: 1 }],
    outcome: 'waits ≥ 1 s, retried',
    minMs: 1000,
  },
  { fault: '429 without Retry-After', faults: [{ status: 429 }], outcome: 'backoff, retried' },
  {
    fault: '5xx burst (500, 502 HTML, 503)',
    faults: [{ status: 500 }, { status: 502 }, { status: 503 }],
    outcome: 'retried 3 times',
  },
  {
    fault: 'hung response',
    faults: [{ hang: true }],
    args: ['--timeout', '400'],
    outcome: 'timeout at 400 ms, retried',
    minMs: 400,
  },
  {
    fault: 'connection reset before the answer',
    faults: [{ reset: true }],
    outcome: 'network error, retried',
  },
  { fault: 'truncated JSON body', faults: [{ malformed: true }], outcome: 'bad response, retried' },
];

describe('fault matrix: faults a retry absorbs', () => {
  it.each(retried)('$fault → $outcome', async ({ faults, args = [], minMs }) => {
    const p = faultProject(N, server.url);
    try {
      server.queueFaults(faults);
      const r = await evalJson(p.dir, ['-j', '1', '--max-retries', '3', ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.report?.summary.groups[0]?.passed).toBe(N);
      expect(r.report?.retries).toBe(faults.length);
      // one request per item plus one per fault: nothing else was asked twice
      expect(server.requests).toBe(N + faults.length);
      expect(server.completions).toBe(N);
      if (minMs) expect(r.ms).toBeGreaterThanOrEqual(minMs);
      const stored = await expectConsistent(p.dir);
      expect(stored.byStatus).toEqual({ pass: N });
      expect(stored.status).toBe('completed');
    } finally {
      p.cleanup();
    }
  });
});

interface ProxyRow {
  fault: string;
  faults: ProxyFault[];
  args?: string[];
  outcome: string;
  /** Answers the test server gave (paid for): the body lost mid-way was paid for, then asked again. */
  completions: number;
}

const afterAnswer: ProxyRow[] = [
  {
    fault: 'connection reset mid-body',
    faults: [{ midBodyReset: true }],
    outcome: 'network error, retried',
    completions: N + 1,
  },
  {
    fault: 'a 200 whose body is not JSON',
    faults: [{ garbage: '<html><body>upstream error</body></html>' }],
    outcome: 'bad response, retried',
    completions: N,
  },
  {
    fault: 'slow body past the timeout',
    faults: [{ slowBody: { chunks: 8, chunkMs: 150 } }],
    args: ['--timeout', '500'],
    outcome: 'timeout, retried',
    completions: N + 1,
  },
];

describe('fault matrix: faults after the provider answered', () => {
  it.each(afterAnswer)('$fault → $outcome', async ({ faults, args = [], completions }) => {
    const p = faultProject(N, proxy.url);
    try {
      const before = proxy.requests;
      proxy.queue(faults);
      const r = await evalJson(p.dir, ['-j', '1', '--max-retries', '3', ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.report?.summary.groups[0]?.passed).toBe(N);
      expect(r.report?.retries).toBe(1);
      expect(proxy.requests - before).toBe(N + 1);
      expect(server.completions).toBe(completions);
      const stored = await expectConsistent(p.dir);
      expect(stored.byStatus).toEqual({ pass: N });
    } finally {
      p.cleanup();
    }
  });

  it('slow body within the timeout → waits, no retry', async () => {
    const p = faultProject(N, proxy.url);
    try {
      proxy.always({ slowBody: { chunks: 4, chunkMs: 40 } });
      const r = await evalJson(p.dir, ['-j', '2', '--timeout', '5000']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.report?.summary.groups[0]?.passed).toBe(N);
      expect(r.report?.retries ?? 0).toBe(0);
      expect(server.requests).toBe(N);
      await expectConsistent(p.dir);
    } finally {
      p.cleanup();
    }
  });
});

describe('fault matrix: faults a retry cannot absorb', () => {
  it('5xx burst longer than the retries → error results (never fail), exit 3; --resume asks only those again', async () => {
    const p = faultProject(N, server.url);
    try {
      // the first item fails both its attempts; the rest answer
      server.queueFaults([{ status: 500 }, { status: 503 }]);
      const r = await evalJson(p.dir, ['-j', '1', '--max-retries', '1']);
      expect(r.code).toBe(3);
      expect(r.report?.summary.groups[0]).toMatchObject({ passed: N - 1, errors: 1, failed: 0 });
      const mid = await expectConsistent(p.dir);
      expect(mid.byStatus).toEqual({ pass: N - 1, error: 1 });
      expect(mid.errorKinds).toEqual(['server']);
      const before = server.requests;
      const resumed = await evalJson(p.dir, ['--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(server.requests - before).toBe(1);
      const after = await expectConsistent(p.dir);
      expect(after.byStatus).toEqual({ pass: N });
      expect(after.id).toBe(mid.id);
    } finally {
      p.cleanup();
    }
  });

  it('DNS failure for a configured host → every item an error naming the network, exit 3, store consistent', async () => {
    const p = faultProject(3, 'http://assay-fault-matrix.invalid/v1');
    try {
      const r = await evalJson(p.dir, ['-j', '1', '--max-retries', '1']);
      expect(r.code).toBe(3);
      expect(r.report?.summary.groups[0]).toMatchObject({ passed: 0, failed: 0, errors: 3 });
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const stored = await expectConsistent(p.dir, 3);
      expect(stored.byStatus).toEqual({ error: 3 });
      expect(stored.errorKinds).toEqual(['network']);
      expect(stored.errorMessage).toMatch(/assay-fault-matrix\.invalid|ENOTFOUND|getaddrinfo/);
    } finally {
      p.cleanup();
    }
  });
});

describe('fault matrix: the store', () => {
  it('store locked by another process for less than the busy timeout → the write waits; nothing lost', async () => {
    server.latencyMs = 20;
    const p = faultProject(30, server.url);
    try {
      const child = startCli(['eval', '-C', p.dir, '-j', '2', '--json']);
      const done = waitCli(child);
      while (server.completions < 8) await sleep(5);
      const lock = await holdWriteLock(join(p.dir, '.assay/assay.db'), 1500);
      const r = await done;
      await lock.released;
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(server.requests).toBe(30);
      const stored = await expectConsistent(p.dir, 30);
      expect(stored.byStatus).toEqual({ pass: 30 });
    } finally {
      p.cleanup();
    }
  });

  it('store locked past the busy timeout → a clear error (exit 3); the refused batch is kept; --resume finishes', async () => {
    server.latencyMs = 20;
    const p = faultProject(40, server.url);
    const db = join(p.dir, '.assay/assay.db');
    try {
      const child = startCli(['eval', '-C', p.dir, '-j', '2', '--json']);
      const done = waitCli(child);
      while (server.completions < 8) await sleep(5);
      const lock = await holdWriteLock(db, 7000);
      const r = await done;
      const paidFirst = server.completions;
      expect(r.code).toBe(3);
      const message = (JSON.parse(r.stdout) as { error: { message: string } }).error.message;
      expect(message).toMatch(/is locked by another process \(waited 5 s for its write lock\)/);
      expect(message).toMatch(/kept in .*assay\.db\.unsaved\.jsonl/);
      expect(message).toMatch(/assay eval --resume/);
      expect(existsSync(`${db}.unsaved.jsonl`)).toBe(true);
      await lock.released;
      const before = server.requests;
      const resumed = await evalJson(p.dir, ['--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(existsSync(`${db}.unsaved.jsonl`)).toBe(false);
      const stored = await expectConsistent(p.dir, 40);
      expect(stored.byStatus).toEqual({ pass: 40 });
      // Paid twice: only the answers still in flight when the write failed (at most the concurrency).
      const repeated = paidFirst + (server.requests - before) - 40;
      expect(repeated).toBeGreaterThanOrEqual(0);
      expect(repeated).toBeLessThanOrEqual(2);
    } finally {
      p.cleanup();
    }
  }, 30_000);

  it('disk full under the store → a clear error (exit 3), no stack trace; after freeing space --resume finishes', async () => {
    server.setRespond((body) => `number ${'x'.repeat(6000)} ${body.messages.length}`);
    const mnt = mkdtempSync(join(tmpdir(), 'assay-full-'));
    const mounted =
      !process.env.ASSAY_TEST_FSIZE_LIMIT &&
      spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=400k', 'tmpfs', mnt]).status === 0;
    const p = faultProject(80, server.url, [`store: ${join(mnt, 'assay.db')}`]);
    try {
      let r: Awaited<ReturnType<typeof evalJson>>;
      if (mounted) r = await evalJson(p.dir, ['-j', '2']);
      else {
        // No mount allowed: a file size limit (RLIMIT_FSIZE) in a child shell; SIGXFSZ ignored so writes fail with EFBIG.
        const res = await waitCli(
          spawn(
            'bash',
            [
              '-c',
              `trap '' XFSZ; ulimit -f 800; exec "${process.execPath}" "${assayBin}" eval -C "${p.dir}" -j 2 --json`,
            ],
            { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
          ),
        );
        const parsed = JSON.parse(res.stdout || '{}') as { error?: { message: string; exitCode: number } };
        r = { code: res.code, stderr: res.stderr, error: parsed.error, ms: res.ms };
      }
      expect(r.code, JSON.stringify(r.error)).toBe(3);
      expect(r.error?.message).toMatch(/disk holding the run store .* is full/);
      expect(r.error?.message).toMatch(/Free some space, then run `assay eval --resume`/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const paidFirst = server.completions;
      if (mounted) spawnSync('mount', ['-o', 'remount,size=64m', mnt]);
      const before = server.requests;
      const resumed = await evalJson(p.dir, ['--resume']);
      expect(resumed.code, resumed.stderr + JSON.stringify(resumed.error)).toBe(0);
      const stored = await storedRun(join(mnt, 'assay.db'));
      expect(stored).toMatchObject({ rows: 80, keys: 80, byStatus: { pass: 80 } });
      const check = await dbCheck(p.dir);
      expect(check.problems).toEqual([]);
      // The batch that could not be written, and the answers in flight, are asked again: no more.
      const repeated = paidFirst + (server.requests - before) - 80;
      expect(repeated).toBeLessThanOrEqual(50 + 2);
    } finally {
      if (mounted) spawnSync('umount', ['-l', mnt]);
      rmSync(mnt, { recursive: true, force: true });
      p.cleanup();
    }
  }, 60_000);
});

describe('fault matrix: the process is killed', () => {
  it('SIGTERM mid-run → in-flight answers saved, exit 143, run interrupted; --resume asks only the rest', async () => {
    server.latencyMs = 30;
    const p = faultProject(50, server.url);
    try {
      const child = startCli(['eval', '-C', p.dir, '-j', '2']);
      const done = waitCli(child);
      while (server.completions < 12) await sleep(5);
      child.kill('SIGTERM');
      expect((await done).code).toBe(143);
      const paidFirst = server.completions;
      const mid = await storedRun(join(p.dir, '.assay/assay.db'));
      expect(mid.status).toBe('interrupted');
      expect(mid.rows).toBe(paidFirst); // every paid answer was stored
      expect((await dbCheck(p.dir)).code).toBe(0);
      const before = server.requests;
      const resumed = await evalJson(p.dir, ['--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(server.requests - before).toBe(50 - mid.rows);
      expect(server.completions).toBe(50); // no answer paid twice
      const stored = await expectConsistent(p.dir, 50);
      expect(stored.byStatus).toEqual({ pass: 50 });
    } finally {
      p.cleanup();
    }
  });

  it('SIGKILL mid-run → the store is consistent; --resume pays only for answers it never stored', async () => {
    server.latencyMs = 30;
    const p = faultProject(50, server.url);
    try {
      const child = startCli(['eval', '-C', p.dir, '-j', '2']);
      const done = waitCli(child);
      while (server.completions < 12) await sleep(5);
      await sleep(300); // let a batch reach the store
      child.kill('SIGKILL');
      expect((await done).signal).toBe('SIGKILL');
      const paidFirst = server.completions;
      const check = await dbCheck(p.dir);
      expect(check.problems).toEqual([]);
      const mid = await storedRun(join(p.dir, '.assay/assay.db'));
      expect(mid.status).toBe('running'); // nobody could mark it
      expect(mid.rows).toBeGreaterThan(0);
      const before = server.requests;
      const resumed = await evalJson(p.dir, ['--resume']);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(server.requests - before).toBe(50 - mid.rows);
      // Repeated: the answers of the batch that was not yet written when the process died (≤ one batch).
      expect(paidFirst - mid.rows).toBeLessThanOrEqual(50);
      const stored = await expectConsistent(p.dir, 50);
      expect(stored.byStatus).toEqual({ pass: 50 });
    } finally {
      p.cleanup();
    }
  });
});
