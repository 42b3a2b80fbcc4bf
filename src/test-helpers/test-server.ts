import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real OpenAI-compatible HTTP server for tests (node:http on 127.0.0.1, port 0). Answers
 * `POST /v1/chat/completions` (non-streaming) and `GET /v1/models`; replies and faults are scriptable.
 */

/** One scripted failure for one request. */
export type Fault =
  /** 429 with an optional `Retry-After` in seconds, or `'date'` for an HTTP date `dateSeconds` (default 5) ahead; or `retry-after-ms`. */
  | {
      status: 429;
      retryAfter?: number | 'date';
      dateSeconds?: number;
      retryAfterMs?: number;
      message?: string;
    }
  /** Any other error status (500, 502, 503, 400, 401, 408 …) with an OpenAI-style error body. */
  | { status: number; message?: string }
  /** Never answers; the request ends only when the client gives up or the server closes. */
  | { hang: true }
  /** Destroys the socket without an answer. */
  | { reset: true }
  /** 200 with a body that is not valid JSON. */
  | { malformed: true };

export interface ScriptedToolCall {
  id?: string;
  name: string;
  /** Object (serialised for you) or a raw JSON string (sent as is, even when invalid). */
  arguments: unknown;
}

export interface ScriptedReply {
  content?: string | null;
  toolCalls?: ScriptedToolCall[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number };
  finishReason?: string;
  /** Model name reported in the answer (default: the requested one). */
  model?: string;
  /** Sent as `choices[0].logprobs` (OpenAI shape: `{ content: [{ token, logprob, top_logprobs }] }`). */
  logprobs?: unknown;
}

/** The parsed JSON body of a chat completion request. */
export interface ChatCompletionBody {
  model?: string;
  /** Always an array here (empty when the client sent none). Content is a string as Assay sends it. */
  messages: { role: string; content: string; [key: string]: unknown }[];
  stream?: boolean;
  [key: string]: unknown;
}

export interface TestServerOptions {
  /** Delay before every answer (faults included, hangs excepted). Default 0. */
  latencyMs?: number;
  /** Builds the reply; default: echo of the last user message. */
  respond?(body: ChatCompletionBody): string | ScriptedReply | Promise<string | ScriptedReply>;
  /** Rate-limit mode: a request arriving when `perSecond` were admitted in the last second gets a 429. */
  rateLimit?: RateLimitMode;
}

/**
 * Like a provider's limit: at most `perSecond` requests admitted in any sliding second; refused ones do
 * not count. A refusal carries `retry-after-ms` (default: until the oldest admitted request leaves the
 * window), unless `retryAfterMs` is null.
 */
export interface RateLimitMode {
  perSecond: number;
  retryAfterMs?: number | null;
}

export type FaultFn = (n: number, body: ChatCompletionBody) => Fault | undefined;

export interface TestServer {
  /** Base URL ending in `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  readonly port: number;
  /** All POSTs to /v1/chat/completions since start or reset (faulted ones included). */
  readonly requests: number;
  /** Successful 200 answers with a valid completion. */
  readonly completions: number;
  /** Count per fault served, keyed `429`, `500`, …, `hang`, `reset`, `malformed`. */
  readonly faultCounts: Readonly<Record<string, number>>;
  /** Bodies of the chat completion requests, oldest first (the last 1,000 kept). */
  readonly bodies: readonly ChatCompletionBody[];
  /** Headers of the same requests (lower-case names). */
  readonly headers: readonly IncomingHttpHeaders[];
  readonly lastBody: ChatCompletionBody | undefined;
  readonly lastHeaders: IncomingHttpHeaders | undefined;
  /** Requests currently waiting for an answer (hangs included). */
  readonly inFlight: number;
  latencyMs: number;
  /** Decides a fault per request: `n` is the 1-based request number since start or reset. */
  fault(fn: FaultFn | undefined): void;
  /** Faults served to the next requests, one each, before `fault(fn)` is consulted. */
  queueFaults(faults: Fault[]): void;
  /** Sets or clears the rate-limit mode (not cleared by reset). */
  setRateLimit(mode: RateLimitMode | undefined): void;
  /** Replaces the reply function (undefined: back to echo). */
  setRespond(respond: TestServerOptions['respond']): void;
  /** Zeroes counters, forgets bodies, clears queued faults and the fault function. */
  reset(): void;
  /** Stops listening and destroys open sockets, so hung requests end. */
  close(): Promise<void>;
}

const MAX_KEPT = 1000;
const MAX_BODY = 16 * 1024 * 1024;

/** Text of a message's content: a string, or the text parts of an array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map((p) => (typeof p === 'string' ? p : p && typeof p.text === 'string' ? (p.text as string) : ''))
      .join('');
  return '';
}

export function lastUserMessage(body: ChatCompletionBody): string {
  const messages = body.messages;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role === 'user') return contentText(m.content);
  }
  return '';
}

function faultKey(f: Fault): string {
  if ('hang' in f) return 'hang';
  if ('reset' in f) return 'reset';
  if ('malformed' in f) return 'malformed';
  return String(f.status);
}

function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

const statusTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  429: 'rate_limit_error',
};

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  let latencyMs = opts.latencyMs ?? 0;
  let respond = opts.respond;
  let faultFn: FaultFn | undefined;
  let queue: Fault[] = [];
  let requests = 0;
  let completions = 0;
  let faultCounts: Record<string, number> = {};
  let bodies: ChatCompletionBody[] = [];
  let headerList: IncomingHttpHeaders[] = [];
  let inFlight = 0;
  const sockets = new Set<Socket>();
  let rateLimit = opts.rateLimit;
  let admitted: number[] = [];

  /** Rate-limit mode: admits the request now, or returns the 429 to answer it with. */
  function rateFault(): Fault | undefined {
    if (!rateLimit) return undefined;
    const now = Date.now();
    let drop = 0;
    while (drop < admitted.length && (admitted[drop] as number) <= now - 1000) drop++;
    if (drop > 0) admitted = admitted.slice(drop);
    if (admitted.length < rateLimit.perSecond) {
      admitted.push(now);
      return undefined;
    }
    const wait = rateLimit.retryAfterMs ?? Math.max(1, (admitted[0] as number) + 1000 - now);
    return rateLimit.retryAfterMs === null
      ? { status: 429, message: 'rate limit reached' }
      : { status: 429, retryAfterMs: wait, message: 'rate limit reached' };
  }

  const stats = () => ({ requests, completions, faults: { ...faultCounts }, inFlight });

  function resetState(): void {
    requests = 0;
    completions = 0;
    faultCounts = {};
    bodies = [];
    headerList = [];
    queue = [];
    faultFn = undefined;
  }

  async function completion(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    let body: ChatCompletionBody;
    try {
      const parsed: unknown = JSON.parse(raw || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as ChatCompletionBody;
      if (!Array.isArray(body.messages)) body.messages = [];
    } catch {
      requests++;
      return sendJson(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
    }
    requests++;
    const n = requests;
    bodies.push(body);
    headerList.push(req.headers);
    if (bodies.length > MAX_KEPT) {
      bodies.shift();
      headerList.shift();
    }
    const fault = queue.length > 0 ? queue.shift() : (faultFn?.(n, body) ?? rateFault());
    if (fault) faultCounts[faultKey(fault)] = (faultCounts[faultKey(fault)] ?? 0) + 1;
    if (fault && 'hang' in fault) return; // the socket stays open until the client or close() ends it
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (res.destroyed || res.writableEnded) return;
    if (fault) return serveFault(req, res, fault);
    if (body.stream) {
      return sendJson(res, 400, {
        error: { message: 'streaming is not supported by the test server', type: 'invalid_request_error' },
      });
    }
    const scripted = respond ? await respond(body) : lastUserMessage(body);
    if (res.destroyed || res.writableEnded) return;
    const reply: ScriptedReply = typeof scripted === 'string' ? { content: scripted } : scripted;
    const toolCalls = (reply.toolCalls ?? []).map((t, i) => ({
      id: t.id ?? `call_${n}_${i}`,
      type: 'function',
      function: {
        name: t.name,
        arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments ?? {}),
      },
    }));
    const content = reply.content === undefined ? (toolCalls.length > 0 ? null : '') : reply.content;
    const promptChars = body.messages.reduce((s, m) => s + contentText(m?.content).length, 0);
    const promptTokens = reply.usage?.prompt_tokens ?? Math.ceil(promptChars / 4);
    const completionTokens = reply.usage?.completion_tokens ?? Math.ceil((content ?? '').length / 4);
    completions++;
    sendJson(res, 200, {
      id: `chatcmpl-test-${n}`,
      object: 'chat.completion',
      created: 1700000000,
      model: reply.model ?? (typeof body.model === 'string' ? body.model : 'test-model'),
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content,
            ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          },
          logprobs: reply.logprobs ?? null,
          finish_reason: reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        },
      ],
      usage: {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        total_tokens: reply.usage?.total_tokens ?? promptTokens + completionTokens,
      },
      system_fingerprint: 'fp_test',
    });
  }

  function serveFault(req: IncomingMessage, res: ServerResponse, fault: Fault): void {
    if ('reset' in fault) {
      req.socket.destroy();
      return;
    }
    if ('malformed' in fault) {
      const body = '{"id": "chatcmpl-broken", "choices": [{"message": {"content": "trunc';
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
      });
      res.end(body);
      return;
    }
    if (!('status' in fault)) return;
    const headers: Record<string, string> = {};
    if (fault.status === 429 && 'retryAfter' in fault && fault.retryAfter !== undefined) {
      headers['retry-after'] =
        fault.retryAfter === 'date'
          ? new Date(Date.now() + (fault.dateSeconds ?? 5) * 1000).toUTCString()
          : String(fault.retryAfter);
    }
    if (fault.status === 429 && 'retryAfterMs' in fault && fault.retryAfterMs !== undefined) {
      headers['retry-after-ms'] = String(fault.retryAfterMs);
    }
    const message = fault.message ?? `test server fault: status ${fault.status}`;
    if (fault.status === 502) {
      // like a real proxy: an HTML body, not JSON
      const html = `<html><body><h1>502 Bad Gateway</h1><p>${message}</p></body></html>`;
      res.writeHead(502, { 'content-type': 'text/html', 'content-length': String(Buffer.byteLength(html)) });
      res.end(html);
      return;
    }
    sendJson(
      res,
      fault.status,
      { error: { message, type: statusTypes[fault.status] ?? 'server_error', code: null } },
      headers,
    );
  }

  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooLarge = true;
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const raw = Buffer.concat(chunks).toString('utf8');
      if (url === '/__stats') return sendJson(res, 200, stats());
      if (url === '/__reset' && req.method === 'POST') {
        resetState();
        return sendJson(res, 200, { ok: true });
      }
      if (req.method === 'POST' && url.endsWith('/chat/completions')) {
        inFlight++;
        let counted = true;
        const done = () => {
          if (counted) inFlight--;
          counted = false;
        };
        res.on('close', done);
        res.on('finish', done);
        completion(req, res, raw).catch((e: unknown) => {
          if (!res.headersSent && !res.destroyed)
            sendJson(res, 500, {
              error: { message: `test server respond() threw: ${String(e)}`, type: 'server_error' },
            });
        });
        return;
      }
      if (req.method === 'GET' && url.endsWith('/models')) {
        return sendJson(res, 200, {
          object: 'list',
          data: [{ id: 'test-model', object: 'model', created: 1700000000, owned_by: 'assay-test' }],
        });
      }
      sendJson(res, 404, {
        error: { message: `no route ${req.method} ${url}`, type: 'invalid_request_error' },
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    get requests() {
      return requests;
    },
    get completions() {
      return completions;
    },
    get faultCounts() {
      return faultCounts;
    },
    get bodies() {
      return bodies;
    },
    get headers() {
      return headerList;
    },
    get lastBody() {
      return bodies[bodies.length - 1];
    },
    get lastHeaders() {
      return headerList[headerList.length - 1];
    },
    get inFlight() {
      return inFlight;
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = ms;
    },
    fault(fn) {
      faultFn = fn;
    },
    queueFaults(faults) {
      queue.push(...faults);
    },
    setRespond(fn) {
      respond = fn;
    },
    setRateLimit(mode) {
      rateLimit = mode;
      admitted = [];
    },
    reset: resetState,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
