import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP proxy in front of the test server for the faults that happen after a provider answered: the
 * connection dropped mid-body, a body that trickles in, a 200 whose body is not JSON at all. Every request
 * it forwards reaches the test server, so the server's counters still say what was paid for.
 */
export type ProxyFault =
  /** Forward, then send the headers and half of the answer's body and destroy the socket. */
  | { midBodyReset: true }
  /** Forward, then send the body in `chunks` pieces, `chunkMs` apart. */
  | { slowBody: { chunks: number; chunkMs: number } }
  /** Answer 200 with this body (not JSON) without forwarding. */
  | { garbage: string };

export interface FaultProxy {
  /** Base URL ending in `/v1`. */
  readonly url: string;
  /** Requests received (faulted ones included). */
  readonly requests: number;
  /** Faults served to the next requests, one each. */
  queue(faults: ProxyFault[]): void;
  /** A fault for every request while set (after the queue is empty). */
  always(fault: ProxyFault | undefined): void;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let requests = 0;
  let queued: ProxyFault[] = [];
  let every: ProxyFault | undefined;
  const sockets = new Set<Socket>();

  async function forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    const path = (req.url ?? '/').replace(/^\/v1/, target.pathname.replace(/\/$/, ''));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && !['host', 'content-length', 'connection'].includes(k)) headers[k] = v;
    const res = await fetch(`${target.origin}${path}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? body : undefined,
    });
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      if (!['content-length', 'connection', 'keep-alive', 'transfer-encoding'].includes(k)) out[k] = v;
    });
    return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    requests++;
    const fault = queued.shift() ?? every;
    if (fault && 'garbage' in fault) {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(fault.garbage)),
      });
      res.end(fault.garbage);
      return;
    }
    const up = await forward(req, body);
    if (fault && 'midBodyReset' in fault) {
      res.writeHead(up.status, { ...up.headers, 'content-length': String(up.body.length) });
      res.write(up.body.subarray(0, Math.floor(up.body.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    if (fault && 'slowBody' in fault) {
      const { chunks, chunkMs } = fault.slowBody;
      res.writeHead(up.status, { ...up.headers, 'content-length': String(up.body.length) });
      const size = Math.ceil(up.body.length / chunks);
      for (let i = 0; i < chunks; i++) {
        if (res.destroyed) return;
        res.write(up.body.subarray(i * size, (i + 1) * size));
        await new Promise((r) => setTimeout(r, chunkMs));
      }
      res.end();
      return;
    }
    res.writeHead(up.status, { ...up.headers, 'content-length': String(up.body.length) });
    res.end(up.body);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks)).catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    queue(faults) {
      queued.push(...faults);
    },
    always(fault) {
      every = fault;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        queued = [];
      });
    },
  };
}
