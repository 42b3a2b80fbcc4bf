import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HttpError } from './http-error.ts';

/** Every response carries these: nothing loads from elsewhere, nothing frames the page, no referrer leaks. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Sets the security headers on whatever response comes back, errors and static files included. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  };
}

/**
 * DNS rebinding and cross-site requests: the Host header must name the loopback address we serve
 * (`127.0.0.1:PORT` or `localhost:PORT`), and an Origin header, when sent, must be our own origin.
 */
export function hostAndOriginGuard(port: number): MiddlewareHandler {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  return async (c, next) => {
    const host = c.req.header('host')?.toLowerCase();
    if (host === undefined || !hosts.has(host))
      throw new HttpError(403, `forbidden Host header: this server answers only to 127.0.0.1:${port}`);
    const origin = c.req.header('origin');
    if (origin !== undefined && !origins.has(origin.toLowerCase()))
      throw new HttpError(403, 'forbidden Origin: requests from other sites are refused');
    await next();
  };
}

/** The API needs `Authorization: Bearer <token>`, compared in constant time. */
export function tokenGuard(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Hashing first gives equal lengths, so timingSafeEqual never throws and leaks no length.
    if (!m || !timingSafeEqual(digest(m[1] as string), expected))
      throw new HttpError(
        401,
        'missing or wrong access token: open the address `assay ui` printed (it ends in ?token=…)',
      );
    await next();
  };
}

/** State-changing requests must be JSON: a cross-site form can never send it without a preflight. */
export function jsonBodyGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type))
        throw new HttpError(400, 'Content-Type must be application/json');
    }
    await next();
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
