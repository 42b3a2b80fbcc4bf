import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Context } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The page `/` shows when the front end was never built (a checkout before `npm run build`). */
export const NOT_BUILT_HTML =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Assay UI</title></head><body>' +
  '<h1>Assay UI</h1><p>The UI is not built: run <code>npm run build</code> in the Assay folder, then start ' +
  '<code>assay ui</code> again.</p></body></html>';

/**
 * A file of the built front end for a GET path, or undefined. Paths are decoded and must stay inside
 * `dir` (no `..`, no absolute path, no NUL); `/` is index.html. Anything under `server/` is left out:
 * a defence in depth should the front end and compiled code ever share a folder.
 */
export async function staticFile(c: Context, dir: string | undefined): Promise<Response | undefined> {
  let path: string;
  try {
    path = decodeURIComponent(c.req.path);
  } catch {
    return undefined;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (!dir || !existsSync(join(dir, 'index.html'))) {
    if (path !== '/index.html') return undefined;
    return c.html(NOT_BUILT_HTML);
  }
  if (path.includes('\0')) return undefined;
  const abs = resolve(dir, `.${path}`);
  const rel = relative(dir, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(/[\\/]/)[0] === 'server')
    return undefined;
  try {
    if (!(await stat(abs)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  const body = await readFile(abs);
  return new Response(c.req.method === 'HEAD' ? null : body, {
    headers: { 'Content-Type': TYPES[extname(abs).toLowerCase()] ?? 'application/octet-stream' },
  });
}
