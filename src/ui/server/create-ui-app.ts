import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AssayError } from '../../core/errors.ts';
import { HttpError } from './http-error.ts';
import { annotateRoutes } from './routes/annotate-routes.ts';
import { compareRoute } from './routes/compare-route.ts';
import { judgesRoute } from './routes/judges-route.ts';
import { labelsRoute } from './routes/labels-route.ts';
import { promptsRoutes } from './routes/prompts-routes.ts';
import { resultsRoute } from './routes/results-route.ts';
import { runsRoutes } from './routes/runs-routes.ts';
import { hostAndOriginGuard, jsonBodyGuard, securityHeaders, tokenGuard } from './security.ts';
import { staticFile } from './static-files.ts';
import type { UiDeps } from './ui-context.ts';
import { createUiServices } from './ui-services.ts';

/**
 * The `assay ui` app: security first (headers on every response, Host and Origin checks on every
 * request, the token on /api/*, JSON bodies only), then the JSON API, then the built front end.
 */
export function createUiApp(deps: UiDeps): Hono {
  const app = new Hono();
  const services = createUiServices(deps);

  app.onError((err, c) => {
    if (err instanceof HttpError) {
      // The rest of an oversized body is never read: the connection cannot be reused.
      if (err.status === 413) c.header('Connection', 'close');
      return c.json({ error: err.message }, err.status);
    }
    // AssayError is bad input by construction (unknown run, unknown version, a malformed file): a 400.
    if (err instanceof AssayError) return c.json({ error: err.message }, 400);
    process.stderr.write(
      `assay ui: internal error: ${err.message}\n${process.env.ASSAY_DEBUG ? `${err.stack}\n` : ''}`,
    );
    return c.json({ error: `internal error: ${err.message}` }, 500);
  });
  app.notFound((c) => c.json({ error: `not found: ${c.req.method} ${c.req.path}` }, 404));

  app.use('*', securityHeaders());
  app.use('*', hostAndOriginGuard(deps.port));
  app.use('/api/*', tokenGuard(deps.token));
  app.use('/api/*', jsonBodyGuard());
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new HttpError(413, 'the request body is larger than 1 MB');
      },
    }),
  );

  runsRoutes(app, services);
  resultsRoute(app, services);
  compareRoute(app, services);
  promptsRoutes(app, services);
  labelsRoute(app, services);
  annotateRoutes(app, services);
  judgesRoute(app, services);
  app.all('/api/*', (c) => c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404));

  app.on(
    ['GET', 'HEAD'],
    '*',
    async (c) => (await staticFile(c, deps.staticDir)) ?? c.json({ error: 'not found' }, 404),
  );
  return app;
}
