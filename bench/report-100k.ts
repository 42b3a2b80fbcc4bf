/**
 * `assay report` at scale: seeds a SQLite store with a run of 100,000 results (and, for --compare, a second
 * run of the same cases with 1% flipped), then times writeReport to HTML and Markdown, and prints the sizes
 * and the peak heap. Opens the HTML in Chromium when /usr/bin/chromium exists. Not a test.
 * Bars (issue 7): built in < 10 s, HTML < 5 MB. Run: `node bench/report-100k.ts [results]`.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../src/report/write-report.ts';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { seedRun } from '../test/report/seed-report-store.ts';

const total = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'assay-bench-report-'));
const store = openSqliteStore(join(dir, 'assay.db'));

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
console.log(
  `node ${process.version}: seeded 2 runs × ${total} results in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

let peak = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 20);

async function measure(label: string, output: string, compare?: string) {
  global.gc?.();
  peak = 0;
  const heap0 = process.memoryUsage().heapUsed;
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await writeReport({
    cwd: dir,
    store,
    run: 'cand-run-0002',
    compare,
    output,
    assayVersion: 'bench',
  });
  const s = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const jsonl = statSync(r.resultsFile).size;
  console.log(
    `  ${label.padEnd(22)} ${s.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU · ${(r.bytes / 1e6).toFixed(2)} MB (${r.embedded} of ${r.results} results embedded) · JSONL ${(jsonl / 1e6).toFixed(0)} MB · peak heap +${((peak - heap0) / 1e6).toFixed(0)} MB`,
  );
  return r;
}

const single = await measure('html, one run', join(dir, 'report.html'));
await measure('md, one run', join(dir, 'report.md'));
const compared = await measure('html, --compare', join(dir, 'compare.html'), 'base-run-0001');
await measure('md, --compare', join(dir, 'compare.md'), 'base-run-0001');
clearInterval(sampler);
await store.close();

if (existsSync('/usr/bin/chromium')) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  for (const file of [single.file, compared.file]) {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    t = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const charts = await page.locator('svg.chart').count();
    console.log(
      `  Chromium opens ${file.split('/').pop()} in ${((performance.now() - t) / 1000).toFixed(2)} s (${charts} charts)`,
    );
    await context.close();
  }
  await browser.close();
}
rmSync(dir, { recursive: true, force: true });
