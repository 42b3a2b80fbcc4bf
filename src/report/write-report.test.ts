import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../test/report/seed-report-store.ts';
import { buildEvalReport } from '../app/build-eval-report.ts';
import { AssayError } from '../core/errors.ts';
import type { RunRecord } from '../core/types.ts';
import { exportResults } from '../reporters/export-results.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { inputText, reportFormatFor, resultsFileFor, writeReport } from './write-report.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-write-report-'));
  store = openSqliteStore(join(dir, 'assay.db'));
  await seedRun(store, { id: 'base-run-0001', cases: 120, repeats: 2 });
  await seedRun(store, {
    id: 'cand-run-0002',
    cases: 120,
    repeats: 2,
    manifest: { prompts: [{ name: 'bot', version: 'ffffeeee0000', file: 'p.md', source: '' }] },
    status: (i, j) => (i % 10 === 4 || (i % 7 === 0 && j === 1) ? 'fail' : 'pass'),
  });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function exported(id: string): Promise<string> {
  const run = (await store.getRun(id)) as RunRecord;
  const report = await buildEvalReport({ store, run, maxErrorRate: 1 });
  let text = '';
  await exportResults(
    'jsonl',
    report,
    () => store.iterateResults(id),
    (c) => {
      text += c;
    },
  );
  return text;
}

describe('writeReport', () => {
  it('writes the JSONL beside the report exactly as `assay export --format jsonl` (run, then baseline)', async () => {
    const output = join(dir, 'r.html');
    const r = await writeReport({
      store,
      cwd: dir,
      run: 'cand-run-0002',
      compare: 'base-run-0001',
      output,
      assayVersion: 't',
    });
    expect(r).toMatchObject({
      format: 'html',
      runId: 'cand-run-0002',
      baselineRunId: 'base-run-0001',
      results: 240,
    });
    expect(r.resultsFile).toBe(join(dir, 'r.results.jsonl'));
    expect(readFileSync(r.resultsFile, 'utf8')).toBe(
      (await exported('cand-run-0002')) + (await exported('base-run-0001')),
    );
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const html = readFileSync(output, 'utf8');
    expect(Buffer.byteLength(html)).toBe(r.bytes);
    expect(html).toContain('Flakiness: cases by pass rate over 2 repeats');
    expect(html).toContain('Paired difference B − A');
  });

  it('shows the same headline numbers as the eval report of the run', async () => {
    const run = (await store.getRun('cand-run-0002')) as RunRecord;
    const report = await buildEvalReport({ store, run, maxErrorRate: 1 });
    const g = report.summary.groups[0];
    const md = join(dir, 'r.md');
    await writeReport({ store, cwd: dir, run: 'latest', output: md, assayVersion: 't' });
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    expect(readFileSync(md, 'utf8')).toContain(
      `| ${pct(g?.passRate?.estimate ?? 0)} [${pct(g?.passRate?.lower ?? 0)}, ${pct(g?.passRate?.upper ?? 0)}] | 120 |`,
    );
  });

  it('refuses an unknown run or extension before writing anything', async () => {
    await expect(
      writeReport({ store, cwd: dir, run: 'zzzz', output: join(dir, 'x.html'), assayVersion: 't' }),
    ).rejects.toThrow(AssayError);
    expect(() => reportFormatFor('x.pdf')).toThrow(/use -o FILE\.html .* or -o FILE\.md/);
    expect(readdirSync(dir).filter((f) => f.startsWith('x.'))).toEqual([]);
  });

  it('names the files and renders inputs as short text', () => {
    expect(resultsFileFor('out/report.html')).toBe('out/report.results.jsonl');
    expect(resultsFileFor('report.md')).toBe('report.results.jsonl');
    expect(inputText({ q: 'hi', n: 2, o: { a: 1 } })).toBe('q: hi\nn: 2\no: {"a":1}');
    expect(inputText({ q: 'x'.repeat(600) })).toHaveLength(500);
  });
});
