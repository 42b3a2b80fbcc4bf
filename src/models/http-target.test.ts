import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../core/config/project.ts';
import { ConfigError } from '../core/errors.ts';
import { ModelCallError, type ModelRequest } from './model-port.ts';
import { createModelRegistry } from './model-registry.ts';

/** One request the app received. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** The next answer: status, headers and body text (default: 200 with {answer, usage}). */
let reply: (s: Seen) => { status?: number; headers?: Record<string, string>; body: string };

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
    seen.push(s);
    const r = reply(s);
    res.writeHead(r.status ?? 200, { 'content-type': 'application/json', ...r.headers });
    res.end(r.body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  seen.length = 0;
  reply = () => ({ body: JSON.stringify({ answer: 'ok', usage: { input_tokens: 3, output_tokens: 2 } }) });
});

const TOKEN = 'tok-0123456789abcdef';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a ${VAR} reference, resolved at call time
const BEARER = 'Bearer ${APP_TOKEN}';

function target(extra: Partial<ModelConfig> = {}, env: NodeJS.ProcessEnv = { APP_TOKEN: TOKEN }) {
  const config: ModelConfig = {
    id: 'http:app',
    url: `${base}/chat`,
    headers: { Authorization: BEARER },
    body: { question: '{{ vars.question }}' },
    response: { output: '$.answer', usage: '$.usage' },
    ...extra,
  };
  return createModelRegistry([config], { root: '/nonexistent', env }).resolve('http:app');
}

const request = (over: Partial<ModelRequest> = {}): ModelRequest => ({
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Where is my parcel?' },
  ],
  settings: {},
  vars: { question: 'Where is my parcel?', n: 3, tags: ['a', 'b'] },
  caseId: 'parcel-1',
  ...over,
});

async function callError(p: Promise<unknown>): Promise<ModelCallError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ModelCallError);
  return e as ModelCallError;
}

describe('http: targets', () => {
  it('sends the rendered body and the env header, reads answer and usage by JSONPath, costs its price', async () => {
    const port = target({
      price: 0.002,
      body: {
        question: '{{ vars.question }}',
        n: '{{ vars.n }}',
        tags: '{{ vars.tags }}',
        messages: '{{ messages }}',
        last: 'Q: {{ prompt }} ({{ caseId }})',
        fixed: [true, null, 1.5],
      },
    });
    const r = await port.generate(request());
    expect(r).toMatchObject({
      text: 'ok',
      toolCalls: [],
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      cost: 0.002,
    });
    const s = seen[0] as Seen;
    expect(s.method).toBe('POST');
    expect(s.url).toBe('/chat');
    expect(s.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(s.headers['content-type']).toBe('application/json');
    // A whole-value template keeps the value's JSON type; text templates render text.
    expect(JSON.parse(s.body)).toEqual({
      question: 'Where is my parcel?',
      n: 3,
      tags: ['a', 'b'],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Where is my parcel?' },
      ],
      last: 'Q: Where is my parcel? (parcel-1)',
      fixed: [true, null, 1.5],
    });
  });

  it('without a body template sends prompt, messages, vars and caseId; without a price reports no cost', async () => {
    const port = target({ body: undefined });
    const r = await port.generate(request());
    expect(r.cost).toBeUndefined(); // the engine prices it by tokens: $0 unless a prices file says
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual({
      prompt: 'Where is my parcel?',
      messages: request().messages,
      vars: request().vars,
      caseId: 'parcel-1',
    });
  });

  it('GET renders the url template and sends no body; no response path means the body text is the answer', async () => {
    reply = () => ({ headers: { 'content-type': 'text/plain' }, body: 'plain answer' });
    const port = target({
      method: 'GET',
      url: `${base}/ask/{{ caseId }}?q={{ vars.question | url_encode }}`,
      body: undefined,
      response: undefined,
    });
    const r = await port.generate(request());
    expect(r.text).toBe('plain answer');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/ask/parcel-1?q=Where+is+my+parcel%3F', body: '' });
  });

  it('reads tool calls in both the plain and the OpenAI shape', async () => {
    reply = () => ({
      body: JSON.stringify({
        data: {
          text: 'done',
          calls: [
            { name: 'lookup', arguments: { id: 7 } },
            { id: 'c2', function: { name: 'refund', arguments: '{"amount":5}' } },
          ],
        },
      }),
    });
    const port = target({ response: { output: '$.data.text', toolCalls: '$.data.calls' } });
    const r = await port.generate(request());
    expect(r.text).toBe('done');
    expect(r.toolCalls).toEqual([
      { name: 'lookup', arguments: { id: 7 } },
      { id: 'c2', name: 'refund', arguments: { amount: 5 } },
    ]);
  });

  it('429 is a retryable rate limit with its Retry-After; 5xx retryable; other 4xx not', async () => {
    reply = () => ({ status: 429, headers: { 'retry-after': '2' }, body: '{"error":"slow down"}' });
    const rate = await callError(target().generate(request()));
    expect(rate).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 2000, status: 429 });
    reply = () => ({ status: 503, body: 'busy' });
    expect(await callError(target().generate(request()))).toMatchObject({ kind: 'server', retryable: true });
    reply = () => ({ status: 404, body: 'nope' });
    const notFound = await callError(target().generate(request()));
    expect(notFound).toMatchObject({ kind: 'client', retryable: false });
    expect(notFound.message).toBe('http:app: HTTP 404: "nope"');
  });

  it('a response the path does not match is a non-retryable error naming the path, with an escaped excerpt', async () => {
    reply = () => ({ body: JSON.stringify({ error: '\u001b[31mboom\u001b[0m', detail: 'x'.repeat(500) }) });
    const e = await callError(target().generate(request()));
    expect(e).toMatchObject({ kind: 'bad-response', retryable: false });
    expect(e.message).toContain('response path $.answer matched nothing (no $.answer)');
    expect(e.message).not.toContain('\u001b'); // the escape character itself never reaches a terminal
    expect(e.message).toContain('\\u001b[31mboom');
    expect(e.message.length).toBeLessThan(400);
    reply = () => ({ body: '<html>\u001b]0;pwned\u0007oops</html>' });
    const html = await callError(target().generate(request()));
    expect(html).toMatchObject({ kind: 'bad-response', retryable: false });
    expect(html.message).toContain('not JSON');
    expect(html.message).toContain('\\u001b]0;pwned\\u0007oops');
    expect(html.message).not.toContain('\u001b');
    expect(html.message).not.toContain('\u0007');
  });

  it('an undefined variable in the body template fails the call without sending it, naming the field', async () => {
    const e = await callError(target().generate(request({ vars: {} })));
    expect(e).toMatchObject({ kind: 'client', retryable: false });
    expect(e.message).toContain('body.question: undefined variable: vars.question');
    expect(seen).toHaveLength(0);
  });

  it('header values never appear in answers or errors, even when the app echoes them', async () => {
    reply = (s) => ({ body: JSON.stringify({ answer: `you sent ${s.headers.authorization}` }) });
    const r = await target().generate(request());
    expect(r.text).toBe('you sent Bearer [redacted]');
    reply = (s) => ({ status: 401, body: `bad token ${s.headers.authorization}` });
    const e = await callError(target().generate(request()));
    expect(e.message).not.toContain(TOKEN);
    expect(e.message).toContain('[redacted]');
  });

  it('a header variable that is not set stops resolution with a config error naming the variable', () => {
    expect(() => target({}, {})).toThrow(ConfigError);
    expect(() => target({}, {})).toThrow(
      /header Authorization of http:app needs \$\{APP_TOKEN\}, which is not set/,
    );
  });

  it('declares keyByVars and a cache identity from the request template, never from header values', () => {
    const a = target();
    const b = target({}, { APP_TOKEN: 'another-token-value' });
    const c = target({ body: { q: '{{ vars.question }}' } });
    expect(a.keyByVars).toBe(true);
    expect(a.cacheIdentity).toBe(b.cacheIdentity);
    expect(a.cacheIdentity).not.toBe(c.cacheIdentity);
    expect(a.cacheIdentity).not.toContain(TOKEN);
  });

  it('a refused connection is a retryable network error', async () => {
    const closed = createModelRegistry([{ id: 'http:down', url: 'http://127.0.0.1:1/chat' }], {
      root: '/nonexistent',
      env: {},
    }).resolve('http:down');
    expect(await callError(closed.generate(request()))).toMatchObject({ kind: 'network', retryable: true });
  });
});
