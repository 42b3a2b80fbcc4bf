/**
 * `assay ui` on a seeded run of 100,000 results: the first load of the run's results (the per-run index
 * is built), then page requests across the run, filters, and the runs list. Not a test. Run:
 * `node bench/ui-100k.ts [results]`.
 */
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.ts';
import { startUi } from '../src/ui/server/start-ui.ts';
import { makeUiProject, seedRun } from '../test/ui-server/ui-fixture.ts';

const n = Number(process.argv[2] ?? 100_000);
const project = await makeUiProject();
const store = await openStore({ path: join(project.dir, '.assay/assay.db') });
const manifest = (await store.getRun(project.runA))?.manifest;
if (!manifest) throw new Error('no manifest');
let t = performance.now();
await seedRun(store, 'bench-big-run', manifest, n);
const seedMs = performance.now() - t;
await store.close();

const ui = await startUi({ cwd: project.dir });
const headers = { Authorization: `Bearer ${ui.token}` };
const timed = async (path: string) => {
  const t0 = performance.now();
  const r = await fetch(`http://127.0.0.1:${ui.port}${path}`, { headers });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`${path}: ${r.status} ${body}`);
  return performance.now() - t0;
};
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s[Math.min(s.length - 1, Math.floor(p * s.length))] as number).toFixed(1);
  return `median ${q(0.5)} ms · p95 ${q(0.95)} ms · max ${q(1)} ms (${s.length} requests)`;
};
const results = '/api/runs/bench-big-run/results';
const first = await timed(`${results}?offset=0&limit=100`);
const pages: number[] = [];
for (let i = 0; i < 200; i++)
  pages.push(await timed(`${results}?offset=${Math.floor(Math.random() * (n - 100))}&limit=100`));
const last = await timed(`${results}?offset=${n - 100}&limit=100`);
const statusPages: number[] = [];
for (let i = 0; i < 50; i++)
  statusPages.push(await timed(`${results}?status=fail&offset=${i * 100}&limit=100`));
const searchFirst = await timed(`${results}?q=case-0500&limit=100`);
const searchPages: number[] = [];
for (let i = 0; i < 50; i++) searchPages.push(await timed(`${results}?q=case-0500&offset=${i}&limit=100`));
t = performance.now();
await timed('/api/runs');
const runsFirst = performance.now() - t;
const runsAgain = await timed('/api/runs');
await ui.close();
project.cleanup();

const rss = process.memoryUsage().rss / 1e6;
process.stdout.write(
  [
    `assay ui, ${n.toLocaleString('en')} results (Node ${process.version})`,
    `seed (store.writeResults, batches of 5,000): ${(seedMs / 1000).toFixed(1)} s`,
    `first results page (builds the run index):   ${first.toFixed(0)} ms`,
    `page at a random offset, limit 100:          ${stats(pages)}`,
    `last page:                                   ${last.toFixed(1)} ms`,
    `status=fail pages:                           ${stats(statusPages)}`,
    `text search, first (scans the run):          ${searchFirst.toFixed(1)} ms`,
    `text search, further pages (cached):         ${stats(searchPages)}`,
    `runs list, first (eval report per run):      ${runsFirst.toFixed(0)} ms`,
    `runs list, again (cached):                   ${runsAgain.toFixed(1)} ms`,
    `process RSS at the end:                      ${rss.toFixed(0)} MB`,
    '',
  ].join('\n'),
);
