import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRun } from '../../test/report/seed-report-store.ts';
import { buildEvalReport } from '../app/build-eval-report.ts';
import { compareRunFamily } from '../app/compare-runs.ts';
import type { RunRecord } from '../core/types.ts';
import { openSqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Store } from '../store/store.ts';
import { collectReportData, OUTPUT_EXCERPT } from './collect-report-data.ts';

let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'assay-collect-'));
  store = openSqliteStore(join(dir, 'assay.db'));
  // 1,000 cases: 100 fail (i % 10 === 3), 10 error (i % 100 === 7), the rest pass; case 0 has a long output.
  await seedRun(store, {
    id: 'big-run-0001',
    cases: 1000,
    status: (i) => (i % 100 === 7 ? 'error' : i % 10 === 3 ? 'fail' : 'pass'),
    output: (i) => (i === 0 ? 'x'.repeat(10_000) : `output ${i}`),
  });
  // Repeats: 50 cases × 4, case i passes i % 5 of its 4 repeats (0..4).
  await seedRun(store, {
    id: 'rep-run-0001',
    cases: 50,
    repeats: 4,
    status: (i, j) => (j < i % 5 ? 'pass' : 'fail'),
  });
  // Baseline / candidate: cases 0–9 regress, 10–14 improve.
  const base = (i: number) => (i >= 10 && i < 15 ? 'fail' : 'pass');
  await seedRun(store, {
    id: 'base-run-0001',
    cases: 40,
    status: base,
    output: (i) => `the answer is A${i}`,
  });
  await seedRun(store, {
    id: 'cand-run-0002',
    cases: 40,
    manifest: { prompts: [{ name: 'bot', version: 'ffffeeee0000', file: 'p.md', source: '' }] },
    status: (i) => (i < 10 ? 'fail' : 'pass'),
    output: (i) => `the answer is B${i}`,
  });
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function collect(id: string, caps = {}) {
  const run = (await store.getRun(id)) as RunRecord;
  const report = await buildEvalReport({ store, run, maxErrorRate: 1 });
  return collectReportData({ store, run, report, assayVersion: 't', caps, now: () => new Date(0) });
}

describe('collectReportData', () => {
  it('counts every result and embeds all failures and errors under the caps, plus a sample of passes', async () => {
    const d = await collect('big-run-0001');
    expect(d.cases).toMatchObject({ total: 1000, passed: 890, failed: 100, errors: 10 });
    expect(d.cases).toMatchObject({ embeddedFailed: 100, embeddedErrors: 10, embeddedPassed: 100 });
    const statuses = d.cases.embedded.map((e) => e.status);
    // errors first, then failures, then the sampled passes
    expect(statuses.indexOf('fail')).toBe(10);
    expect(statuses.indexOf('pass')).toBe(110);
    expect(d.cases.embedded.filter((e) => e.status === 'error')[0]?.error).toBe(
      'server: HTTP 500 from the provider',
    );
  });

  it('caps each status and cuts long outputs, keeping their full length', async () => {
    const d = await collect('big-run-0001', { failed: 20, errors: 3, passed: 1000 });
    expect(d.cases.embeddedFailed).toBe(20);
    expect(d.cases.embeddedErrors).toBe(3);
    const long = d.cases.embedded.find((e) => e.caseId === 'case-000000');
    expect(long?.output).toHaveLength(OUTPUT_EXCERPT);
    expect(long?.outputChars).toBe(10_000);
  });

  it('samples the same results every time (seeded by the run)', async () => {
    const a = await collect('big-run-0001');
    const b = await collect('big-run-0001');
    expect(b.cases.embedded.map((e) => e.caseId)).toEqual(a.cases.embedded.map((e) => e.caseId));
    expect(a.cases.sampleSeed).toBe(7);
  });

  it('bins cases by their pass rate over repeats for the flakiness histogram', async () => {
    const d = await collect('rep-run-0001');
    expect(d.flakiness).toHaveLength(1);
    // i % 5 passes of 4: 0 → always fail, 1 → 25%, 2 → 50%, 3 → 75%, 4 → always pass; 10 cases each
    expect(d.flakiness[0]?.bins.map((b) => b.cases)).toEqual([10, 0, 10, 10, 10, 0, 10]);
    expect(d.flakiness[0]?.repeats).toBe(4);
    expect((await collect('big-run-0001')).flakiness).toEqual([]);
  });

  it('with a comparison: both outputs of every flipped case, regressions first, with their word diff', async () => {
    const run = (await store.getRun('cand-run-0002')) as RunRecord;
    const baselineRun = (await store.getRun('base-run-0001')) as RunRecord;
    const report = await buildEvalReport({ store, run, maxErrorRate: 1 });
    const pass = await compareRunFamily({ store, cwd: dir, baseline: baselineRun.id, candidates: [run.id] });
    const d = await collectReportData({
      store,
      run,
      report,
      assayVersion: 't',
      compare: { baselineRun, pass: pass.comparisons, score: [], warnings: [] },
      caps: { flips: 12 },
    });
    const c = d.comparison;
    expect(c?.flipsTotal).toBe(15);
    expect(c?.flips).toHaveLength(12);
    expect(c?.flips.slice(0, 10).every((f) => f.kind === 'regressed')).toBe(true);
    expect(c?.flips.slice(10).every((f) => f.kind === 'improved')).toBe(true);
    const f = c?.flips.find((x) => x.caseId === 'case-000003');
    expect(f?.baseline).toMatchObject({ status: 'pass', output: 'the answer is A3' });
    expect(f?.candidate).toMatchObject({ status: 'fail', output: 'the answer is B3' });
    expect(f?.diff).toEqual([
      { op: 'same', text: 'the answer is ' },
      { op: 'removed', text: 'A3' },
      { op: 'added', text: 'B3' },
    ]);
  });
});
