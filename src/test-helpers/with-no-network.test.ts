import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.ts';
import { isLoopbackHost, NetworkAttemptError, withNoNetwork } from './with-no-network.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function attemptsOf(fn: () => Promise<unknown>): Promise<NetworkAttemptError> {
  try {
    await withNoNetwork(fn);
  } catch (e) {
    if (e instanceof NetworkAttemptError) return e;
    throw e;
  }
  throw new Error('expected a NetworkAttemptError');
}

describe('withNoNetwork', () => {
  it('blocks and records fetch to a non-loopback name and IP, even when fn swallows the failure', async () => {
    const err = await attemptsOf(async () => {
      await expect(fetch('http://example.invalid/x')).rejects.toThrow(/fetch failed/);
      await expect(fetch(new URL('http://10.1.2.3:8080/'))).rejects.toThrow(/fetch failed/);
    });
    expect(err.attempts).toEqual([
      { via: 'fetch', target: 'http://example.invalid/x' },
      { via: 'fetch', target: 'http://10.1.2.3:8080/' },
    ]);
    expect(err.message).toContain('10.1.2.3');
  });

  it('blocks undici underneath a fetch reference taken before the patch', async () => {
    const early = globalThis.fetch;
    const err = await attemptsOf(async () => {
      await expect(early('http://10.1.2.3:8081/')).rejects.toThrow(/fetch failed/);
      await expect(early('https://10.1.2.4/')).rejects.toThrow(/fetch failed/);
    });
    expect(err.attempts).toEqual([
      { via: 'socket', target: '10.1.2.3:8081' },
      { via: 'tls', target: '10.1.2.4:443' },
    ]);
  });

  it('blocks sockets opened by node:http and net.connect, and DNS lookups', async () => {
    const err = await attemptsOf(async () => {
      await new Promise<void>((resolve) => {
        const req = http.get('http://10.1.2.3:81/', () => resolve());
        req.on('error', (e) => {
          expect(String(e)).toMatch(/blocked/);
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        const s = net.connect({ host: '192.0.2.7', port: 443 });
        s.on('error', () => resolve());
      });
      await expect(dns.promises.lookup('example.com')).rejects.toThrow(/blocked/);
      await new Promise<void>((resolve) =>
        dns.lookup('example.org', (e) => {
          expect(e).toBeTruthy();
          resolve();
        }),
      );
    });
    expect(err.attempts.map((a) => `${a.via} ${a.target}`)).toEqual([
      'socket 10.1.2.3:81',
      'socket 192.0.2.7:443',
      'dns example.com',
      'dns example.org',
    ]);
  });

  it('lets loopback through and returns the value of fn', async () => {
    const value = await withNoNetwork(async () => {
      const r = await fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }),
      });
      const local = await fetch(`http://localhost:${server.port}/v1/models`);
      await dns.promises.lookup('localhost');
      const body = (await r.json()) as { choices: { message: { content: string } }[] };
      return [body.choices[0]?.message.content, local.status];
    });
    expect(value).toEqual(['hi', 200]);
  });

  it('restores everything afterwards', async () => {
    const fetchBefore = globalThis.fetch;
    const connectBefore = net.Socket.prototype.connect;
    const lookupBefore = dns.lookup;
    await attemptsOf(() => fetch('http://example.invalid').catch(() => undefined));
    expect(globalThis.fetch).toBe(fetchBefore);
    expect(net.Socket.prototype.connect).toBe(connectBefore);
    expect(dns.lookup).toBe(lookupBefore);
  });

  it('reports attempts together with the error fn threw', async () => {
    const err = await attemptsOf(async () => {
      await fetch('http://example.invalid').catch(() => undefined);
      throw new Error('boom');
    });
    expect((err.cause as Error).message).toBe('boom');
  });

  it('rethrows fn errors when no attempt was made', async () => {
    await expect(withNoNetwork(() => Promise.reject(new Error('plain')))).rejects.toThrow('plain');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.5.6.7', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost', true],
    ['::ffff:127.0.0.1', true],
    ['10.1.2.3', false],
    ['0.0.0.0', false],
    ['example.invalid', false],
    ['128.0.0.1', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
