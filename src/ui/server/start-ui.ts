import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { locateStore } from '../../app/locate-store.ts';
import { projectRoot } from '../../app/resolve-run-ref.ts';
import { AssayError } from '../../core/errors.ts';
import { openStore } from '../../store/open-store.ts';
import { createUiApp } from './create-ui-app.ts';
import { SECURITY_HEADERS } from './security.ts';

export interface StartUiOptions {
  /** Project folder. */
  cwd: string;
  /** Port on 127.0.0.1; 0 or absent: a free port. */
  port?: number;
  /** The built front end (default: dist/web of the Assay package, built by Vite). */
  staticDir?: string;
  /** Config file, as `-c`. */
  config?: string;
  /** Run store instead of the configured one, as `--store`. */
  store?: string;
}

export interface UiServer {
  /** The address to open, token included. */
  url: string;
  token: string;
  port: number;
  /** Stops the server (open connections too) and closes the store. */
  close(): Promise<void>;
}

/** The Assay package root: this file is src/ui/server/ in a checkout and dist/ui/server/ when built. */
const packageRoot = resolve(import.meta.dirname, '../../..');

/** Starts `assay ui` on 127.0.0.1 only, with a fresh random token. */
export async function startUi(options: StartUiOptions): Promise<UiServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new AssayError(`--port: '${port}' is not a port number (0 to 65535; 0 picks a free one)`, 2);
  let storePath: string;
  try {
    storePath = await locateStore({ cwd: options.cwd, config: options.config, store: options.store });
  } catch (e) {
    if (e instanceof AssayError && /^no run store at /.test(e.message))
      throw new AssayError(`no runs yet: run \`assay eval\` first (${e.message.split(':')[0]})`, 2);
    throw e;
  }
  const root = await projectRoot(options.cwd, options.config);
  const store = await openStore({ path: storePath });
  const token = randomBytes(32).toString('hex');
  let app: Hono | undefined;
  const server = createAdaptorServer({
    fetch: (req, env) =>
      app
        ? app.fetch(req, env)
        : new Response('starting', { status: 503, headers: { ...SECURITY_HEADERS, 'Retry-After': '1' } }),
    hostname: '127.0.0.1',
  }) as Server;
  try {
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', rej);
        res();
      });
    });
  } catch (e) {
    await store.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new AssayError(
        `port ${port} is in use: choose another with --port (or --port 0 for a free one)`,
        2,
      );
    if (code === 'EACCES') throw new AssayError(`port ${port} needs privileges: choose a port above 1023`, 2);
    throw e;
  }
  const actual = (server.address() as AddressInfo).port;
  app = createUiApp({
    root,
    store,
    token,
    port: actual,
    staticDir: options.staticDir ?? join(packageRoot, 'dist', 'web'),
    ...(options.config !== undefined ? { config: resolve(options.cwd, options.config) } : {}),
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actual}/?token=${token}`,
    token,
    port: actual,
    close() {
      closing ??= (async () => {
        await new Promise<void>((res) => {
          server.close(() => res());
          server.closeAllConnections();
        });
        await store.close();
      })();
      return closing;
    },
  };
}
