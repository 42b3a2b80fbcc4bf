import type { Hono } from 'hono';
import { diffPrompts } from '../../../registry/diff-prompts.ts';
import { readLabelsFile } from '../../../registry/labels-file.ts';
import type { Registry } from '../../../registry/open-registry.ts';
import { resolvePromptRef } from '../../../registry/resolve-prompt-ref.ts';
import { promptRows } from '../../../views/prompt-rows.ts';
import { HttpError } from '../http-error.ts';
import type { UiServices } from '../ui-services.ts';

/** GET /api/prompts (recorded versions with their labels) and GET /api/prompts/:name/diff?from&to. */
export function promptsRoutes(app: Hono, s: UiServices): void {
  app.get('/api/prompts', async (c) => {
    const versions = await s.deps.store.listPromptVersions();
    const labels = await readLabelsFile(s.deps.root);
    return c.json({ prompts: promptRows(versions, labels) });
  });

  app.get('/api/prompts/:name/diff', async (c) => {
    const name = c.req.param('name');
    const from = c.req.query('from');
    const to = c.req.query('to');
    if (!from) throw new HttpError(400, 'from: name the version to diff from (?from=V&to=V)');
    if (!to) throw new HttpError(400, 'to: name the version to diff to (?from=V&to=V)');
    const registry: Registry = {
      root: s.deps.root,
      prompts: (await s.project.get())?.prompts ?? [],
      labels: await readLabelsFile(s.deps.root),
      store: s.deps.store,
      close: async () => {},
    };
    // Versions come from the store, else the current file, else git history, as `assay prompt diff`.
    const a = await resolvePromptRef(registry, name, { version: from });
    const b = await resolvePromptRef(registry, name, { version: to });
    return c.json({
      from: { name, version: a.version },
      to: { name, version: b.version },
      sections: diffPrompts(a.spec, b.spec),
    });
  });
}
