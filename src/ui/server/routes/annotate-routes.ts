import { relative, sep } from 'node:path';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Annotation } from '../../../annotations/annotation.ts';
import { annotationsFile } from '../../../annotations/annotations-file.ts';
import { appendAnnotations } from '../../../annotations/append-annotations.ts';
import { latestAnnotations } from '../../../annotations/latest-annotations.ts';
import { readAnnotations } from '../../../annotations/read-annotations.ts';
import { HttpError } from '../http-error.ts';
import { parseBody } from '../parse-body.ts';
import { findRunOr404 } from '../ui-context.ts';
import type { UiServices } from '../ui-services.ts';

const bodySchema = z
  .strictObject({
    runId: z.string({ error: 'expected the run id' }).min(1, 'expected the run id'),
    key: z
      .string({ error: 'expected the annotation key of an item' })
      .regex(/^[0-9a-f]{64}$/, 'expected a 64-character hex key'),
    annotator: z
      .string({ error: 'expected a name' })
      .trim()
      .min(1, 'expected a name')
      .max(100, 'at most 100 characters'),
    verdict: z.enum(['pass', 'fail'], { error: 'expected pass or fail' }).optional(),
    score: z
      .number({ error: 'expected a whole number from 1 to 5' })
      .int('expected a whole number from 1 to 5')
      .min(1, 'expected a whole number from 1 to 5')
      .max(5, 'expected a whole number from 1 to 5')
      .optional(),
    note: z.string({ error: 'expected text' }).max(5000, 'at most 5000 characters').optional(),
  })
  .refine((b) => (b.verdict === undefined) !== (b.score === undefined), {
    message: 'give exactly one of verdict (pass or fail) or score (1 to 5)',
    path: ['verdict'],
  });

type StoreWithMirror = {
  mirrorAnnotations?: (suite: string, records: readonly Annotation[]) => Promise<number>;
};

/**
 * GET /api/annotate/:runId/items: the run's outputs to judge with the judgments in force;
 * POST /api/annotations: appends one judgment to annotations/<suite>.jsonl, as `assay annotate` does.
 */
export function annotateRoutes(app: Hono, s: UiServices): void {
  const fileOf = (suite: string) => annotationsFile(s.deps.root, suite);
  const shown = (abs: string) => relative(s.deps.root, abs).split(sep).join('/');

  app.get('/api/annotate/:runId/items', async (c) => {
    const run = await findRunOr404(s.deps.store, c.req.param('runId'));
    const suite = run.manifest.suite.name;
    const { items } = await s.annotationItems.get(run);
    const file = fileOf(suite);
    const byKey = new Map<string, Annotation[]>();
    for (const a of latestAnnotations(readAnnotations(file, shown(file)))) {
      const list = byKey.get(a.key);
      if (list) list.push(a);
      else byKey.set(a.key, [a]);
    }
    return c.json({
      suite,
      items: items.map((i) => ({
        key: i.key,
        caseId: i.caseId,
        promptVersion: i.promptVersion,
        modelId: i.modelId,
        input: i.input ?? '',
        output: i.output,
        annotations: (byKey.get(i.key) ?? []).map((a) => ({
          annotator: a.annotator,
          ...(a.verdict !== undefined ? { verdict: a.verdict } : {}),
          ...(a.score !== undefined ? { score: a.score } : {}),
          ...(a.note !== undefined ? { note: a.note } : {}),
          at: a.at,
        })),
      })),
    });
  });

  app.post('/api/annotations', async (c) => {
    const body = await parseBody(c, bodySchema);
    const run = await s.deps.store.findRun(body.runId).catch(() => undefined);
    if (!run) throw new HttpError(400, `runId: no run '${body.runId}'`);
    const item = (await s.annotationItems.get(run)).byKey.get(body.key);
    if (!item) throw new HttpError(400, `key: not an output of run ${run.id}`);
    const annotation: Annotation = {
      key: item.key,
      runId: run.id,
      caseId: item.caseId,
      promptVersion: item.promptVersion,
      annotator: body.annotator,
      ...(body.verdict !== undefined ? { verdict: body.verdict } : {}),
      ...(body.score !== undefined ? { score: body.score } : {}),
      ...(body.note !== undefined && body.note !== '' ? { note: body.note } : {}),
      at: new Date().toISOString(),
    };
    const suite = run.manifest.suite.name;
    const file = fileOf(suite);
    await s.serialize(async () => {
      // A malformed file is reported, never appended to (the same rule as `assay annotate --import`).
      readAnnotations(file, shown(file));
      appendAnnotations(file, [annotation]);
    });
    // The file is the truth: a store that cannot take the mirror copy does not undo the judgment.
    const store = s.deps.store as unknown as StoreWithMirror;
    if (typeof store.mirrorAnnotations === 'function')
      try {
        await store.mirrorAnnotations(suite, [annotation]);
      } catch (e) {
        return c.json({
          ok: true,
          file: shown(file),
          warning: `not mirrored to the store: ${(e as Error).message}`,
        });
      }
    return c.json({ ok: true, file: shown(file) });
  });
}
