import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

/**
 * Runs `fn` with the network cut off except for loopback (127.0.0.0/8, ::1, localhost). Every other
 * connection attempt — net/tls sockets (which covers node:http, node:https and fetch/undici), DNS lookups and
 * global fetch — fails with an error and is recorded. After `fn` settles, everything is restored and, if any
 * attempt was made, a NetworkAttemptError listing them is thrown (even when `fn` swallowed the failure).
 * Not reentrant across concurrent callers: run one at a time (nested calls are fine).
 */

export interface NetworkAttempt {
  via: 'socket' | 'tls' | 'dns' | 'fetch';
  /** `host:port`, a hostname (dns) or a URL (fetch). */
  target: string;
}

export class NetworkAttemptError extends Error {
  readonly attempts: NetworkAttempt[];
  constructor(attempts: NetworkAttempt[], cause?: unknown) {
    super(
      `${attempts.length} network attempt(s) outside loopback:\n${attempts.map((a) => `  - ${a.via} ${a.target}`).join('\n')}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = 'NetworkAttemptError';
    this.attempts = attempts;
  }
}

/** True for localhost names, 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost' || h === 'localhost.' || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^(?:0:0:0:0:0:|::)ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped ? (mapped[1] as string).startsWith('127.') : false;
  }
  return false;
}

function blockedError(target: string, code = 'ENETUNREACH'): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(
    `withNoNetwork: connection to ${target} blocked (loopback only)`,
  );
  e.code = code;
  return e;
}

type AnyFn = (...args: unknown[]) => unknown;

/** Where a `socket.connect(...)` call goes: `undefined` for IPC (a path), else host and port. */
function connectTarget(args: unknown[]): { host: string; port: unknown } | undefined {
  let first = args[0];
  // net.connect() passes its normalised [options, cb] array
  if (Array.isArray(first)) first = first[0];
  if (first && typeof first === 'object') {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === 'string') return undefined;
    return { host: typeof o.host === 'string' && o.host ? o.host : 'localhost', port: o.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // IPC path
  return { host: typeof args[1] === 'string' && args[1] ? args[1] : 'localhost', port: first };
}

function urlHost(input: unknown): string | undefined {
  try {
    const href =
      typeof input === 'string'
        ? input
        : input instanceof URL
          ? input.href
          : input && typeof (input as { url?: unknown }).url === 'string'
            ? (input as { url: string }).url
            : String(input);
    const u = new URL(href);
    if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'file:') return undefined;
    return u.hostname;
  } catch {
    return undefined;
  }
}

export async function withNoNetwork<T>(fn: () => T | Promise<T>): Promise<T> {
  const attempts: NetworkAttempt[] = [];
  let inTls = 0;
  const restores: (() => void)[] = [];
  const patch = <O extends object>(obj: O, key: keyof O, make: (orig: AnyFn) => AnyFn) => {
    const orig = obj[key] as unknown as AnyFn;
    if (typeof orig !== 'function') return;
    (obj as Record<keyof O, unknown>)[key] = make(orig);
    restores.push(() => {
      (obj as Record<keyof O, unknown>)[key] = orig;
    });
  };

  patch(
    net.Socket.prototype,
    'connect',
    (orig) =>
      function (this: net.Socket, ...args: unknown[]) {
        const t = connectTarget(args);
        if (!t || isLoopbackHost(t.host)) return orig.apply(this, args);
        const target = `${t.host}:${String(t.port)}`;
        if (inTls === 0) attempts.push({ via: 'socket', target });
        const err = blockedError(target);
        process.nextTick(() => this.destroy(err));
        return this;
      },
  );
  patch(
    tls,
    'connect',
    (orig) =>
      function (this: unknown, ...args: unknown[]) {
        const t = connectTarget(args);
        if (t && !isLoopbackHost(t.host))
          attempts.push({ via: 'tls', target: `${t.host}:${String(t.port)}` });
        inTls++;
        try {
          return orig.apply(this, args); // its socket connect is blocked (and not recorded twice)
        } finally {
          inTls--;
        }
      },
  );
  const lookupPatch = (orig: AnyFn) =>
    function (this: unknown, ...args: unknown[]) {
      const host = String(args[0]);
      if (isLoopbackHost(host) || net.isIP(host) !== 0) return orig.apply(this, args);
      attempts.push({ via: 'dns', target: host });
      const cb = args.findLast((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
      const err = blockedError(host, 'ENOTFOUND');
      if (cb) process.nextTick(() => cb(err));
      return undefined;
    };
  const promiseLookupPatch = (orig: AnyFn) =>
    function (this: unknown, ...args: unknown[]) {
      const host = String(args[0]);
      if (isLoopbackHost(host) || net.isIP(host) !== 0) return orig.apply(this, args);
      attempts.push({ via: 'dns', target: host });
      return Promise.reject(blockedError(host, 'ENOTFOUND'));
    };
  for (const key of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny'] as const) {
    patch(dns, key, lookupPatch);
    patch(dns.promises, key, promiseLookupPatch);
  }
  const origFetch = globalThis.fetch;
  if (typeof origFetch === 'function') {
    globalThis.fetch = function (this: unknown, input: Parameters<typeof fetch>[0], init?: RequestInit) {
      const host = urlHost(input);
      if (host !== undefined && !isLoopbackHost(host)) {
        const target =
          typeof input === 'string' ? input : input instanceof URL ? input.href : (input as Request).url;
        attempts.push({ via: 'fetch', target });
        return Promise.reject(new TypeError('fetch failed', { cause: blockedError(host) }));
      }
      return origFetch.call(this, input, init);
    } as typeof fetch;
    restores.push(() => {
      globalThis.fetch = origFetch;
    });
  }
  syncBuiltinESMExports();

  let result: T;
  try {
    result = await fn();
  } catch (e) {
    if (attempts.length > 0) throw new NetworkAttemptError(attempts, e);
    throw e;
  } finally {
    for (const r of restores.reverse()) r();
    syncBuiltinESMExports();
  }
  if (attempts.length > 0) throw new NetworkAttemptError(attempts);
  return result;
}
