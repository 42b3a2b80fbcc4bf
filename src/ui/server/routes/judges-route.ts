import type { Hono } from 'hono';
import { judgeRows } from '../judge-rows.ts';
import type { UiServices } from '../ui-services.ts';

/** GET /api/judges: every judge the project's suites use, with its validation status and record. */
export function judgesRoute(app: Hono, s: UiServices): void {
  app.get('/api/judges', async (c) =>
    c.json({ judges: await judgeRows(s.deps.root, await s.project.get()) }),
  );
}
