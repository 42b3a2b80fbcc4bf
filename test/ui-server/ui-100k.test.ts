import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.ts';
import { startUi, type UiServer } from '../../src/ui/server/start-ui.ts';
import { makeUiProject, seedRun, type UiProject } from './ui-fixture.ts';

/** Paging a seeded run of 100,000 results: exact totals and rows (timing lives in bench/ui-100k.ts). */
const N = 100_000;
const BIG = 'b16b16b16b16';
let project: UiProject;
let ui: UiServer;

beforeAll(async () => {
  project = await makeUiProject();
  const store = await openStore({ path: join(project.dir, '.assay/assay.db') });
  try {
    const manifest = (await store.getRun(project.runA))?.manifest;
    if (!manifest) throw new Error('no manifest');
    await seedRun(store, BIG, manifest, N);
  } finally {
    await store.close();
  }
  ui = await startUi({ cwd: project.dir });
}, 120_000);

afterAll(async () => {
  await ui?.close();
  project?.cleanup();
});

const page = async (query: string) => {
  const r = await fetch(`http://127.0.0.1:${ui.port}/api/runs/${BIG}/results?${query}`, {
    headers: { Authorization: `Bearer ${ui.token}` },
  });
  expect(r.status).toBe(200);
  return r.json() as Promise<{
    total: number;
    offset: number;
    rows: { index: number; caseId: string; status: string }[];
  }>;
};

describe('assay ui on 100,000 results', () => {
  it('pages to the last result', async () => {
    const first = await page('offset=0&limit=100');
    expect(first.total).toBe(N);
    expect(first.rows).toHaveLength(100);
    expect(first.rows[0]).toMatchObject({ index: 0, caseId: 'case-000000', status: 'error' });
    const last = await page(`offset=${N - 50}&limit=100`);
    expect(last).toMatchObject({ total: N, offset: N - 50 });
    expect(last.rows.map((r) => r.index)).toStrictEqual(Array.from({ length: 50 }, (_, i) => N - 50 + i));
    expect(last.rows.at(-1)).toMatchObject({ caseId: 'case-099999', status: 'pass' });
    expect((await page(`offset=${N}&limit=10`)).rows).toStrictEqual([]);
  }, 60_000);

  it('filters by status and text with exact totals', async () => {
    expect((await page('status=error&limit=1')).total).toBe(N / 10);
    expect((await page('status=fail&limit=1')).total).toBe((3 * N) / 10);
    const pass = await page(`status=pass&offset=${(6 * N) / 10 - 1}&limit=5`);
    expect(pass.total).toBe((6 * N) / 10);
    expect(pass.rows.map((r) => r.caseId)).toStrictEqual(['case-099999']);
    const q = await page('q=case-05000&limit=100');
    expect(q.rows.map((r) => r.caseId)).toStrictEqual(Array.from({ length: 10 }, (_, i) => `case-05000${i}`));
    const both = await page('q=case-05000&status=fail');
    expect(both.rows.map((r) => r.caseId)).toStrictEqual(['case-050001', 'case-050002', 'case-050003']);
  }, 60_000);

  it('summarises the run in the runs list', async () => {
    const r = await fetch(`http://127.0.0.1:${ui.port}/api/runs`, {
      headers: { Authorization: `Bearer ${ui.token}` },
    });
    const big = ((await r.json()) as { runs: { id: string }[] }).runs.find((x) => x.id === BIG);
    expect(big).toMatchObject({ total: N, errors: N / 10, failed: (3 * N) / 10, passed: (6 * N) / 10 });
  }, 60_000);
});
