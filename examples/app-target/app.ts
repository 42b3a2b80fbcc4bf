// A tiny support application to evaluate with Assay (docs/targets.md). No dependencies: Node ≥ 22.18
// runs it directly (`node app.ts`; PORT and SUPPORT_APP_TOKEN from the environment).
//
//   POST /chat  {"question": "..."}  →  {"answer": "...", "usage": {"input_tokens": n, "output_tokens": n}}
//
// It stands for your own application: its own retrieval, rules and glue around (or instead of) a model.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';

export interface AppOptions {
  /** Default 0: any free port. */
  port?: number;
  /** When set, requests must send `Authorization: Bearer <token>` (else 401). */
  token?: string;
  /** Failures served before any answer, in order (to see retries): 429 with Retry-After, or 500. */
  faults?: (429 | 500)[];
  /** Seconds sent in Retry-After with a 429. Default 1. */
  retryAfter?: number;
}

export interface RunningApp {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** POST /chat requests received, faulted ones included. */
  readonly requests: number;
  close(): Promise<void>;
}

/** The application's "knowledge": the first topic the question mentions answers it. */
const TOPICS: [RegExp, string][] = [
  [/refund|money back|return/i, 'You can return any item within 30 days of delivery for a full refund.'],
  [/ship|deliver|arrive/i, 'Standard shipping takes 3-5 business days; express shipping takes 1-2.'],
  [
    /password|log ?in|sign ?in/i,
    'Choose "Forgot password" on the sign-in page and follow the link we email you.',
  ],
];
const FALLBACK = "I'm not sure about that. I can connect you with a human agent.";

export function answer(question: string): string {
  return TOPICS.find(([re]) => re.test(question))?.[1] ?? FALLBACK;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text);
}

export function startApp(options: AppOptions = {}): Promise<RunningApp> {
  const faults = [...(options.faults ?? [])];
  let requests = 0;
  const server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/chat') return send(res, 404, { error: 'not found' });
    requests++;
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, { error: 'unauthorized' });
    const fault = faults.shift();
    if (fault === 429)
      return send(res, 429, { error: 'slow down' }, { 'retry-after': String(options.retryAfter ?? 1) });
    if (fault === 500) return send(res, 500, { error: 'internal error' });
    let question: unknown;
    try {
      question = ((await readJson(req)) as { question?: unknown }).question;
    } catch {
      return send(res, 400, { error: 'the body must be JSON' });
    }
    if (typeof question !== 'string') return send(res, 400, { error: 'question must be a string' });
    const text = answer(question);
    send(res, 200, {
      answer: text,
      usage: { input_tokens: Math.ceil(question.length / 4), output_tokens: Math.ceil(text.length / 4) },
    });
  });
  return new Promise((resolve) => {
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://127.0.0.1:${port}`,
        get requests() {
          return requests;
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

// Started as a program (`node app.ts`), not imported by a test or by targets/support-bot.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await startApp({
    port: Number(process.env.PORT ?? 3000),
    token: process.env.SUPPORT_APP_TOKEN,
  });
  console.log(`support app listening on ${app.url}/chat`);
}
