import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-server.ts';

interface Completion {
  model: string;
  choices: {
    message: { content: string | null; tool_calls: { function: { name: string; arguments: string } }[] };
    finish_reason: string;
  }[];
  usage: Record<string, number>;
  error: { type: string };
  data: { id: string }[];
}
// biome-ignore lint/suspicious/noExplicitAny: test-only JSON reader
const json = async (r: Response): Promise<Completion> => (await r.json()) as any;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.setRespond(undefined);
  server.latencyMs = 0;
});

async function chat(
  content: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'm1', messages: [{ role: 'user', content }], ...extra }),
  });
}

describe('startTestServer', () => {
  it('listens on 127.0.0.1 with a /v1 base URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('echoes the last user message with usage and counts the request', async () => {
    const res = await chat('hello there', {}, { authorization: 'Bearer k-123' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.choices[0]?.message.content).toBe('hello there');
    expect(body.choices[0]?.finish_reason).toBe('stop');
    expect(body.model).toBe('m1');
    expect(body.usage).toEqual({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
    expect(server.requests).toBe(1);
    expect(server.completions).toBe(1);
    expect(server.lastBody?.messages[0]?.content).toBe('hello there');
    expect(server.lastHeaders?.authorization).toBe('Bearer k-123');
  });

  it('answers with scripted text or tool calls', async () => {
    server.setRespond((b) => ({
      toolCalls: [{ name: 'lookup', arguments: { q: b.messages.at(-1)?.content } }],
      usage: { prompt_tokens: 7, completion_tokens: 2 },
    }));
    const body = await json(await chat('find x'));
    const msg = body.choices[0]?.message;
    expect(msg?.content).toBeNull();
    expect(msg?.tool_calls[0]?.function).toEqual({ name: 'lookup', arguments: '{"q":"find x"}' });
    expect(body.choices[0]?.finish_reason).toBe('tool_calls');
    expect(body.usage).toEqual({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
  });

  it('serves queued faults in order, then normal answers', async () => {
    server.queueFaults([
      { status: 429, retryAfter: 2 },
      { status: 500 },
      { status: 502 },
      { malformed: true },
    ]);
    const r1 = await chat('a');
    expect(r1.status).toBe(429);
    expect(r1.headers.get('retry-after')).toBe('2');
    expect((await json(r1)).error.type).toBe('rate_limit_error');
    expect((await chat('a')).status).toBe(500);
    const r3 = await chat('a');
    expect(r3.status).toBe(502);
    expect(r3.headers.get('content-type')).toContain('text/html');
    const r4 = await chat('a');
    expect(r4.status).toBe(200);
    await expect(r4.json()).rejects.toThrow();
    expect((await chat('a')).status).toBe(200);
    expect(server.requests).toBe(5);
    expect(server.completions).toBe(1);
    expect(server.faultCounts).toEqual({ '429': 1, '500': 1, '502': 1, malformed: 1 });
  });

  it('sends Retry-After as an HTTP date and retry-after-ms', async () => {
    server.queueFaults([
      { status: 429, retryAfter: 'date', dateSeconds: 30 },
      { status: 429, retryAfterMs: 250 },
    ]);
    const r1 = await chat('a');
    const when = Date.parse(r1.headers.get('retry-after') ?? '');
    expect(when - Date.now()).toBeGreaterThan(25_000);
    const r2 = await chat('a');
    expect(r2.headers.get('retry-after-ms')).toBe('250');
  });

  it('decides faults per request number with fault(fn)', async () => {
    server.fault((n) => (n % 2 === 0 ? { status: 503 } : undefined));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await chat(`x${i}`)).status);
    expect(statuses).toEqual([200, 503, 200, 503]);
    expect(server.faultCounts['503']).toBe(2);
  });

  it('resets the socket', async () => {
    server.queueFaults([{ reset: true }]);
    await expect(chat('a')).rejects.toThrow(/fetch failed/);
    expect(server.faultCounts.reset).toBe(1);
  });

  it('hangs until the client aborts', async () => {
    server.queueFaults([{ hang: true }]);
    const started = Date.now();
    await expect(
      fetch(`${server.url}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ messages: [] }),
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow(/aborted|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.faultCounts.hang).toBe(1);
  });

  it('applies latency', async () => {
    server.latencyMs = 80;
    const t = performance.now();
    await chat('slow');
    expect(performance.now() - t).toBeGreaterThanOrEqual(75);
  });

  it('lists models, refuses streaming and unknown routes', async () => {
    const models = await json(await fetch(`${server.url}/models`));
    expect(models.data[0]?.id).toBe('test-model');
    expect((await chat('a', { stream: true })).status).toBe(400);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('exposes /__stats and /__reset', async () => {
    await chat('a');
    const stats = await (await fetch(`${server.url.replace(/\/v1$/, '')}/__stats`)).json();
    expect(stats).toMatchObject({ requests: 1, completions: 1 });
    await fetch(`${server.url.replace(/\/v1$/, '')}/__reset`, { method: 'POST' });
    expect(server.requests).toBe(0);
  });

  it('close() ends hung requests', async () => {
    const s = await startTestServer();
    s.queueFaults([{ hang: true }]);
    const pending = fetch(`${s.url}/chat/completions`, { method: 'POST', body: '{"messages":[]}' });
    while (s.inFlight === 0) await new Promise((r) => setTimeout(r, 5));
    await s.close();
    await expect(pending).rejects.toThrow(/fetch failed/);
  });
});

describe('test-server-cli', () => {
  it('starts, writes its port, counts requests and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-ts-cli-'));
    const portFile = join(dir, 'port');
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, 'test-server-cli.ts'), '--port-file', portFile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const deadline = Date.now() + 10_000;
      while (!existsSync(portFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const port = Number(readFileSync(portFile, 'utf8'));
      const base = `http://127.0.0.1:${port}`;
      const r = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ messages: [{ role: 'user', content: 'ping' }] }),
      });
      expect((await json(r)).choices[0]?.message.content).toBe('ping');
      expect(await (await fetch(`${base}/__stats`)).json()).toMatchObject({ requests: 1, completions: 1 });
      await fetch(`${base}/__reset`, { method: 'POST' });
      expect(await (await fetch(`${base}/__stats`)).json()).toMatchObject({ requests: 0, completions: 0 });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
