import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSqliteStore } from '../../src/app/db-check.ts';
import { evaluate } from '../../src/app/evaluate.ts';
import { startUi, type UiServer } from '../../src/ui/server/start-ui.ts';
import { cleanEnv, scratchProject } from '../cli/cli-harness.ts';

/**
 * The UI's filters cannot inject SQL: the results filter runs in memory over an index, and every store
 * query is parameterised (no user text is ever spliced into SQL). Classic payloads in every parameter
 * change nothing and find nothing they should not.
 */

const p = scratchProject();
let ui: UiServer;
let runId: string;
beforeAll(async () => {
  const { reports } = await evaluate({ cwd: p.dir, models: ['fake:echo'], env: cleanEnv() });
  runId = reports[0]?.run.id as string;
  const staticDir = join(p.dir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html>');
  ui = await startUi({ cwd: p.dir, staticDir });
}, 60_000);
afterAll(async () => {
  await ui?.close();
  p.cleanup();
});

const payloads = [
  "'; DROP TABLE results; --",
  "x' OR '1'='1",
  '" OR 1=1 --',
  "%' UNION SELECT key, value FROM cache --",
  '\u0000; DELETE FROM runs',
];

const get = (path: string) =>
  fetch(`http://127.0.0.1:${ui.port}${path}`, { headers: { Authorization: `Bearer ${ui.token}` } });

describe('UI filters and ids cannot inject SQL', () => {
  it.each(payloads)('%s', async (payload) => {
    const all = (await (await get(`/api/runs/${runId}/results?limit=1000`)).json()) as { total: number };
    const q = await get(`/api/runs/${runId}/results?q=${encodeURIComponent(payload)}`);
    expect(q.status).toBe(200);
    expect(((await q.json()) as { total: number }).total).toBe(0); // matched as text: no output holds it
    expect((await get(`/api/runs/${runId}/results?status=${encodeURIComponent(payload)}`)).status).toBe(400);
    expect([400, 404]).toContain((await get(`/api/runs/${encodeURIComponent(payload)}`)).status);
    expect([400, 404]).toContain((await get(`/api/runs/${encodeURIComponent(payload)}/results`)).status);
    const after = (await (await get(`/api/runs/${runId}/results?limit=1000`)).json()) as { total: number };
    expect(after.total).toBe(all.total);
  });

  it('the store is intact afterwards (assay db check)', async () => {
    const report = await checkSqliteStore(join(p.dir, '.assay/assay.db'));
    expect(report.problems).toEqual([]);
    expect(report.checked.results).toBe(12);
  });
});
