/**
 * A second process for the SQLite store tests: `node sqlite-child.ts <mode> <db> <runId> <count>`.
 * - `write`: creates the run and writes `count` results in batches of 50, yielding between batches.
 * - `crash`: creates the run, writes one batch of 10, then dies (SIGKILL) halfway through a batch of `count`.
 */
import { type SQLInputValue, StatementSync } from 'node:sqlite';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { sampleManifest, sampleResult } from './sample-records.ts';

const [mode, path, runId, countText] = process.argv.slice(2) as [string, string, string, string];
const count = Number(countText);
const store = openSqliteStore(path);
await store.createRun({ id: runId, manifest: sampleManifest(), planned: count });
const results = (n: number, start: number) =>
  Array.from({ length: n }, (_, i) => sampleResult({ runId, caseId: `${runId}-${start + i}`, cost: 0.001 }));

if (mode === 'write') {
  for (let start = 0; start < count; start += 50) {
    await store.writeResults(results(Math.min(50, count - start), start));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await store.close();
} else if (mode === 'crash') {
  await store.writeResults(results(10, 0));
  const run = StatementSync.prototype.run;
  let calls = 0;
  StatementSync.prototype.run = function (this: StatementSync, ...args: SQLInputValue[]) {
    if (++calls > count / 2) process.kill(process.pid, 'SIGKILL');
    return Reflect.apply(run, this, args);
  } as StatementSync['run'];
  await store.writeResults(results(count, 10));
  process.exit(3); // not reached
} else {
  throw new Error(`unknown mode ${mode}`);
}
