import type { Hono } from 'hono';
import { z } from 'zod';
import { readLabelsFile, writeLabelsFile } from '../../../registry/labels-file.ts';
import { currentAuthor } from '../../../registry/record-prompt-versions.ts';
import { HttpError } from '../http-error.ts';
import { parseBody } from '../parse-body.ts';
import type { UiServices } from '../ui-services.ts';

const name = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const bodySchema = z.strictObject({
  prompt: z.string({ error: 'expected the prompt name' }).regex(name, 'expected a prompt name'),
  label: z
    .string({ error: 'expected a label name' })
    .max(100, 'at most 100 characters')
    .regex(name, 'expected letters, digits, ., _ and - only (starting with a letter or digit)'),
  version: z
    .string({ error: 'expected a prompt version' })
    .regex(/^[0-9a-f]{4,64}$/, 'expected a hex prompt version (at least 4 characters)'),
  message: z.string().max(1000, 'at most 1000 characters').optional(),
});

/**
 * POST /api/labels { prompt, label, version }: points the label at a recorded version of the prompt —
 * the same labels file and label history `assay prompt label` writes.
 */
export function labelsRoute(app: Hono, s: UiServices): void {
  app.post('/api/labels', async (c) => {
    const body = await parseBody(c, bodySchema);
    const recorded = await s.deps.store.listPromptVersions(body.prompt);
    const matches = recorded.filter((v) => v.version.startsWith(body.version));
    const exact = matches.find((v) => v.version === body.version);
    const found = exact ?? (matches.length === 1 ? matches[0] : undefined);
    if (!found)
      throw new HttpError(
        400,
        matches.length > 1
          ? `version: '${body.version}' matches several versions of prompt '${body.prompt}'; give more characters`
          : `version: '${body.version}' is not a recorded version of prompt '${body.prompt}' (see assay prompt log ${body.prompt})`,
      );
    const labels = await s.serialize(async () => {
      const all = await readLabelsFile(s.deps.root);
      const previous = all[body.prompt]?.[body.label];
      if (previous === found.version) return all[body.prompt] ?? {};
      const next = { ...all, [body.prompt]: { ...(all[body.prompt] ?? {}), [body.label]: found.version } };
      await writeLabelsFile(s.deps.root, next);
      const author = await currentAuthor(s.deps.root);
      await s.deps.store.recordLabelEvent({
        name: body.prompt,
        label: body.label,
        version: found.version,
        ...(previous !== undefined ? { previous } : {}),
        movedAt: new Date().toISOString(),
        ...(author !== undefined ? { author } : {}),
        ...(body.message !== undefined ? { message: body.message } : {}),
      });
      return next[body.prompt];
    });
    return c.json({ labels });
  });
}
