/**
 * `assay compare` at scale: seeds a SQLite store with two runs of 100,000 results each (the same cases, 1%
 * flipped, as bench/report-100k.ts), then times the CLI — a fresh process, as a user runs it — for the text
 * and the --json output, and prints wall, CPU and peak RSS per rep. Not a test.
 * Bar (issue 12): under 10 s. Run: `node bench/compare-100k.ts [results] [reps]`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { seedRun } from '../test/report/seed-report-store.ts';

const total = Number(process.argv[2] ?? 100_000);
const reps = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'assay-bench-compare-'));
const db = join(dir, 'assay.db');
const store = openSqliteStore(db);
let t = performance.now();
await seedRun(store, { id: 'base-run-0001', cases: total, batch: 1000 });
await seedRun(store, {
  id: 'cand-run-0002',
  cases: total,
  batch: 1000,
  manifest: {
    prompts: [{ name: 'bot', version: 'ffffeeee0000', file: 'prompts/bot.prompt.md', source: '' }],
  },
  // 1% of the cases flip (half regress, half improve)
  status: (i) => (i % 100 === 50 ? 'fail' : i % 100 === 3 ? 'pass' : i % 10 === 3 ? 'fail' : 'pass'),
});
await store.close();
console.log(
  `node ${process.version}: seeded 2 runs × ${total} results in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

const bin = new URL('../bin/assay.js', import.meta.url).pathname;
const timeFile = join(dir, 'time.txt');
for (let rep = 1; rep <= reps; rep++) {
  for (const extra of [[], ['--json']]) {
    t = performance.now();
    const r = spawnSync(
      '/usr/bin/time',
      [
        '-o',
        timeFile,
        '-f',
        '%U %S %M',
        process.execPath,
        bin,
        'compare',
        'base-run-0001',
        'cand-run-0002',
        '--store',
        db,
        ...extra,
      ],
      { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    const wall = (performance.now() - t) / 1000;
    const [user, sys, rssKb] =
      readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)?.split(/\s+/).map(Number) ?? [];
    const verdict =
      /verdict[^\n]*/i.exec(r.stdout)?.[0] ?? (extra.length ? `${r.stdout.length} bytes of JSON` : '');
    console.log(
      `  rep ${rep} compare${extra.length ? ' --json' : '       '} ${wall.toFixed(2)} s wall, ${((user ?? 0) + (sys ?? 0)).toFixed(2)} s CPU, ${((rssKb ?? 0) / 1024).toFixed(0)} MB peak RSS, exit ${r.status} · ${verdict.slice(0, 80)}`,
    );
    if (r.status !== 0) console.log(r.stderr.slice(-1000));
  }
}
rmSync(dir, { recursive: true, force: true });
