import type { Hono } from 'hono';
import { runRow } from '../../../views/run-row.ts';
import { judgeRows } from '../judge-rows.ts';
import { findRunOr404 } from '../ui-context.ts';
import type { UiServices } from '../ui-services.ts';

/** GET /api/runs (newest first) and GET /api/runs/:id (row, manifest, eval report, judges). */
export function runsRoutes(app: Hono, s: UiServices): void {
  app.get('/api/runs', async (c) => {
    const runs = await s.deps.store.listRuns({ limit: 1000 });
    const rows = [];
    for (const run of runs) rows.push(runRow(run, await s.reports.get(run)));
    return c.json({ runs: rows });
  });

  app.get('/api/runs/:id', async (c) => {
    const run = await findRunOr404(s.deps.store, c.req.param('id'));
    const report = await s.reports.get(run);
    const judges = await judgeRows(s.deps.root, await s.project.get(), run.manifest.suite.name);
    return c.json({ run: runRow(run, report), manifest: run.manifest, report, judges });
  });
}
