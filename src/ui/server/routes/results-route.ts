import type { Hono } from 'hono';
import { z } from 'zod';
import { HttpError } from '../http-error.ts';
import { findRunOr404 } from '../ui-context.ts';
import type { UiServices } from '../ui-services.ts';

/** Most rows one page may ask for (the front end asks for what its viewport shows, plus a margin). */
export const MAX_PAGE_ROWS = 1000;

const querySchema = z.object({
  offset: z.coerce
    .number({ error: 'expected a whole number ≥ 0' })
    .int('expected a whole number ≥ 0')
    .min(0, 'expected a whole number ≥ 0')
    .default(0),
  limit: z.coerce
    .number({ error: `expected a whole number from 1 to ${MAX_PAGE_ROWS}` })
    .int(`expected a whole number from 1 to ${MAX_PAGE_ROWS}`)
    .min(1, `expected a whole number from 1 to ${MAX_PAGE_ROWS}`)
    .max(MAX_PAGE_ROWS, `expected a whole number from 1 to ${MAX_PAGE_ROWS}`)
    .default(100),
  status: z.enum(['pass', 'fail', 'error'], { error: 'expected pass, fail or error' }).optional(),
  q: z.string().max(200, 'at most 200 characters').optional(),
});

/** GET /api/runs/:id/results?offset&limit&status&q: one page of the run's results in its stable order. */
export function resultsRoute(app: Hono, s: UiServices): void {
  app.get('/api/runs/:id/results', async (c) => {
    const raw = Object.fromEntries(
      Object.entries(c.req.query()).filter(
        ([k, v]) => ['offset', 'limit', 'status', 'q'].includes(k) && v !== '',
      ),
    );
    const parsed = querySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new HttpError(400, `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid value'}`);
    }
    const { offset, limit, status, q } = parsed.data;
    const run = await findRunOr404(s.deps.store, c.req.param('id'));
    const index = await s.indexes.get(run);
    return c.json(index.page({ status, q }, offset, limit));
  });
}
