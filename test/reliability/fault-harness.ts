import { spawn } from 'node:child_process';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { resultKey } from '../../src/store/store.ts';
import { runCli, scratchProject, writeFiles } from '../cli/cli-harness.ts';

/** A project of `n` cases against `baseUrl`; every answer echoes the prompt, which the check accepts. */
export function faultProject(n: number, baseUrl: string, extraConfig: string[] = []) {
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
      `    baseUrl: ${baseUrl}`,
      'defaults:',
      '  checks:',
      '    - contains: "number"',
      ...extraConfig,
    ].join('\n'),
    'q.prompt.md': '---\nvariables:\n  n: number\n---\nSay the number {{ n }}.\n',
    'cases.jsonl': `${cases}\n`,
  });
  return p;
}

export interface EvalOutcome {
  code: number | null;
  stderr: string;
  /** The first report of `eval --json` (undefined when the command printed none). */
  report?: {
    run: { id: string; status: string; planned: number; stored: number };
    summary: { total: number; groups: { passed: number; failed: number; errors: number; cached: number }[] };
    retries?: number;
    incomplete?: string;
    throttling?: unknown[];
  };
  error?: { message: string; exitCode: number };
  ms: number;
}

export async function evalJson(dir: string, args: string[] = []): Promise<EvalOutcome> {
  const r = await runCli(['eval', '-C', dir, '--json', ...args]);
  let parsed: { reports?: EvalOutcome['report'][]; error?: EvalOutcome['error'] } = {};
  try {
    parsed = JSON.parse(r.stdout);
  } catch {
    parsed = {};
  }
  return { code: r.code, stderr: r.stderr, report: parsed.reports?.[0], error: parsed.error, ms: r.ms };
}

export interface StoredRun {
  id: string;
  status: string;
  planned: number;
  /** Stored results by status. */
  byStatus: Record<string, number>;
  /** Distinct result keys stored (each planned item at most once). */
  keys: number;
  rows: number;
  errorKinds: string[];
  /** One stored error message (the first), to check it says what happened. */
  errorMessage?: string;
}

/** What the store holds for the latest run, read directly (not through the report code). */
export async function storedRun(storePath: string): Promise<StoredRun> {
  const store = openSqliteStore(storePath);
  try {
    const run = await store.findRun('latest');
    if (!run) throw new Error('no run stored');
    const byStatus: Record<string, number> = {};
    const keys = new Set<string>();
    const errorKinds = new Set<string>();
    let rows = 0;
    let errorMessage: string | undefined;
    for await (const r of store.iterateResults(run.id)) {
      rows++;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      keys.add(resultKey(r));
      if (r.error) {
        errorKinds.add(r.error.kind);
        errorMessage ??= r.error.message;
      }
    }
    return {
      id: run.id,
      status: run.status,
      planned: run.planned,
      byStatus,
      keys: keys.size,
      rows,
      errorKinds: [...errorKinds],
      ...(errorMessage !== undefined ? { errorMessage } : {}),
    };
  } finally {
    await store.close();
  }
}

/** `assay db check --json` on the store: exit code and problems. */
export async function dbCheck(
  dir: string,
  store?: string,
): Promise<{ code: number | null; problems: unknown[] }> {
  const r = await runCli(['db', 'check', '-C', dir, '--json', ...(store ? ['--store', store] : [])]);
  let problems: unknown[] = [r.stdout, r.stderr];
  try {
    problems = (JSON.parse(r.stdout) as { problems: unknown[] }).problems;
  } catch {
    // keep the raw output as the problem
  }
  return { code: r.code, problems };
}

/**
 * Another process holding SQLite's write lock on `file` (BEGIN IMMEDIATE) for `ms`, as a second Assay
 * or a backup tool might. Resolves once the lock is held; `released` once it is let go.
 */
export function holdWriteLock(file: string, ms: number): Promise<{ released: Promise<void> }> {
  const code = `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(${JSON.stringify(file)});
    db.exec('PRAGMA busy_timeout = 10000');
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write('locked\\n');
    setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});
  `;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const released = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) resolve({ released });
    });
  });
}
