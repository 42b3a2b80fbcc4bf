import type { Hono } from 'hono';
import { compareRunFamily } from '../../../app/compare-runs.ts';
import { COMPARE_KIND_ORDER, compareCases } from '../../../views/compare-cases.ts';
import { comparisonJson } from '../../../views/comparison-json.ts';
import type { CompareCase } from '../../../views/ui-api-types.ts';
import { HttpError } from '../http-error.ts';
import { findRunOr404 } from '../ui-context.ts';
import type { UiServices } from '../ui-services.ts';

/**
 * GET /api/compare?a=RUN&b=RUN: the comparison `assay compare A B --json` prints, and every case paired
 * by the comparison with both outputs and their word diff, regressions first.
 */
export function compareRoute(app: Hono, s: UiServices): void {
  app.get('/api/compare', async (c) => {
    const a = c.req.query('a');
    const b = c.req.query('b');
    if (!a) throw new HttpError(400, 'a: name the baseline run (?a=RUN&b=RUN)');
    if (!b) throw new HttpError(400, 'b: name the candidate run (?a=RUN&b=RUN)');
    const [runA, runB] = [await findRunOr404(s.deps.store, a), await findRunOr404(s.deps.store, b)];
    const family = await compareRunFamily({
      cwd: s.deps.root,
      config: s.deps.config,
      store: s.deps.store,
      baseline: runA.id,
      candidates: [runB.id],
    });
    const indexA = await s.indexes.get(runA);
    const indexB = await s.indexes.get(runB);
    const cases: CompareCase[] = [];
    for (const cmp of family.comparisons) {
      const side = (entries: typeof indexA.entries, x: { promptVersion: string; modelId: string }) =>
        entries.filter((e) => e.promptVersion === x.promptVersion && e.modelId === x.modelId);
      cases.push(
        ...compareCases(
          side(indexA.entries, cmp.baseline),
          side(indexB.entries, cmp.candidate),
          cmp.candidate.modelId,
        ),
      );
    }
    // Several groups (one per candidate model): one list, still in kind order.
    const rank = new Map(COMPARE_KIND_ORDER.map((k, i) => [k, i]));
    const ordered = cases
      .map((x, i) => ({ x, i }))
      .sort((p, q) => (rank.get(p.x.kind) as number) - (rank.get(q.x.kind) as number) || p.i - q.i)
      .map((p) => p.x);
    return c.json({ comparison: comparisonJson(family), cases: ordered });
  });
}
