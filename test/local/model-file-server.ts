import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net';

/**
 * A loopback stand-in for Hugging Face's file hosting (127.0.0.1, port 0): `GET /OWNER/REPO/resolve/REV/FILE`
 * answers 302 to `/cdn/FILE` with `x-linked-etag` / `x-linked-size` (as huggingface.co does), and `/cdn/FILE`
 * serves the bytes with Range support. Faults are scriptable per request to /cdn.
 */

export type CdnFault =
  /** Sends the headers and this many bytes, then destroys the socket. */
  | { dropAfter: number }
  /** Sends the headers and this many bytes, then goes silent (the socket stays open). */
  | { stallAfter: number }
  /** Answers 200 with the whole file even when a range was asked for. */
  | { ignoreRange: true }
  | { status: number };

export interface ModelFileServer {
  /** Use as ASSAY_HF_ENDPOINT. */
  readonly endpoint: string;
  readonly data: Buffer;
  readonly sha256: string;
  /** Requests seen, oldest first. */
  readonly requests: { url: string; headers: IncomingHttpHeaders }[];
  /** Faults for the next /cdn requests, one each. */
  queueFaults(...faults: CdnFault[]): void;
  /** The checksum the redirect announces (default: the real one; null: none). */
  announce(sha: string | null): void;
  /**
   * The ETag /cdn sends (default none). With one set, a ranged request whose `If-Range` differs gets the
   * whole file (200), as RFC 9110 says.
   */
  setEtag(etag: string | null): void;
  close(): Promise<void>;
}

/** Deterministic pseudo-random bytes (so the file does not compress and differs at every offset). */
export function fileBytes(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

export async function startModelFileServer(size = 2 * 1024 * 1024): Promise<ModelFileServer> {
  const data = fileBytes(size);
  const sha256 = createHash('sha256').update(data).digest('hex');
  let announced: string | null = sha256;
  let etag: string | null = null;
  const faults: CdnFault[] = [];
  const requests: { url: string; headers: IncomingHttpHeaders }[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push({ url, headers: req.headers });
    const resolveMatch = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(.+)$/.exec(url);
    if (resolveMatch) {
      const file = resolveMatch[1] as string;
      if (file.startsWith('missing')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
        return;
      }
      const headers: Record<string, string> = {
        location: `/cdn/${file}`,
        'x-linked-size': String(size),
      };
      if (announced) headers['x-linked-etag'] = `"${announced}"`;
      res.writeHead(302, headers).end();
      return;
    }
    if (!url.startsWith('/cdn/')) {
      res.writeHead(404).end();
      return;
    }
    const fault = faults.shift();
    if (fault && 'status' in fault) {
      res.writeHead(fault.status).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const stale = ifRange !== undefined && ifRange !== etag;
    const tag: Record<string, string> = etag ? { etag } : {};
    let start = 0;
    if (range && !stale && !(fault && 'ignoreRange' in fault)) {
      start = Number(range[1]);
      if (start >= size) {
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-range': `bytes ${start}-${size - 1}/${size}`,
        'content-length': String(size - start),
        'accept-ranges': 'bytes',
        ...tag,
      });
    } else {
      res.writeHead(200, { 'content-length': String(size), 'accept-ranges': 'bytes', ...tag });
    }
    const body = data.subarray(start);
    if (fault && 'dropAfter' in fault) {
      res.write(body.subarray(0, fault.dropAfter), () => {
        setTimeout(() => req.socket.destroy(), 20);
      });
      return;
    }
    if (fault && 'stallAfter' in fault) {
      res.write(body.subarray(0, fault.stallAfter));
      return; // never ends: the client's idle timeout must notice
    }
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    data,
    sha256,
    requests,
    queueFaults: (...f) => faults.push(...f),
    announce: (sha) => {
      announced = sha;
    },
    setEtag: (e) => {
      etag = e;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback server that accepts connections and never answers. */
export async function startSilentServer(): Promise<{ endpoint: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** A loopback port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
