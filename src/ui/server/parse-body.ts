import type { Context } from 'hono';
import type { z } from 'zod';
import { HttpError } from './http-error.ts';

/** The JSON body validated by `schema`; 400 naming the first bad field otherwise. */
export async function parseBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : 'body';
    throw new HttpError(400, `${field}: ${issue?.message ?? 'invalid value'}`);
  }
  return parsed.data;
}
