import { describe, expect, it } from 'vitest';
import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
} from '../models/model-port.ts';
import { type CallContext, executeCall } from './execute-call.ts';
import { createRetryPolicy } from './retry-policy.ts';

const answer: ModelResponse = {
  text: 'ok',
  toolCalls: [],
  usage: { inputTokens: 1, outputTokens: 1 },
  latencyMs: 1,
};

/** A hand-written port: each call runs the next step (or the last one again). */
function port(steps: ((req: ModelRequest) => Promise<ModelResponse>)[]): ModelPort & { calls: number } {
  const p = {
    id: 'test:port',
    provider: 'test',
    modelName: 'port',
    calls: 0,
    generate(req: ModelRequest) {
      const step = steps[Math.min(p.calls, steps.length - 1)] as (r: ModelRequest) => Promise<ModelResponse>;
      p.calls++;
      return step(req);
    },
  };
  return p;
}

const ok = async () => answer;
const fail = (opts: ConstructorParameters<typeof ModelCallError>[1]) => async () => {
  throw new ModelCallError('boom', opts);
};
/** Never settles, ignores its signal (a badly written adapter). */
const deaf = () => new Promise<ModelResponse>(() => {});

function ctx(p: ModelPort, over: Partial<CallContext> = {}): CallContext {
  return {
    port: p,
    policy: createRetryPolicy({ maxRetries: 3, random: () => 0 }),
    timeoutMs: 5000,
    stop: new AbortController().signal,
    hard: new AbortController().signal,
    gate: { until: 0 },
    ...over,
  };
}
const req = { messages: [{ role: 'user' as const, content: 'hi' }], settings: {} };

describe('executeCall', () => {
  it('answers on the first try', async () => {
    const p = port([ok]);
    expect(await executeCall(req, ctx(p))).toEqual({ kind: 'ok', response: answer, attempts: 1 });
  });

  it('retries retryable errors and counts them', async () => {
    const p = port([
      fail({ kind: 'server', retryable: true }),
      fail({ kind: 'network', retryable: true }),
      ok,
    ]);
    const retried: string[] = [];
    const out = await executeCall(req, ctx(p, { onRetry: (e) => retried.push(e.kind) }));
    expect(out).toMatchObject({ kind: 'ok', attempts: 3 });
    expect(retried).toEqual(['server', 'network']);
  });

  it('a non-retryable error is an error outcome after one attempt', async () => {
    const p = port([fail({ kind: 'client', retryable: false, status: 401 })]);
    expect(await executeCall(req, ctx(p))).toEqual({
      kind: 'error',
      error: { kind: 'client', message: 'boom' },
      attempts: 1,
    });
  });

  it('times out an adapter that ignores its signal, and retries it', async () => {
    const p = port([deaf, ok]);
    const out = await executeCall(req, ctx(p, { timeoutMs: 50 }));
    expect(out).toMatchObject({ kind: 'ok', attempts: 2 });
  });

  it('always hanging → a timeout error naming the limit', async () => {
    const p = port([deaf]);
    const out = await executeCall(
      req,
      ctx(p, { timeoutMs: 30, policy: createRetryPolicy({ maxRetries: 1, random: () => 0 }) }),
    );
    expect(out).toMatchObject({ kind: 'error', attempts: 2, error: { kind: 'timeout' } });
    if (out.kind === 'error') expect(out.error.message).toMatch(/timed out after 30 ms/);
  });

  it('the hard signal aborts the attempt in flight: aborted, not an error', async () => {
    const hard = new AbortController();
    const p = port([deaf]);
    setTimeout(() => hard.abort(), 20);
    expect(await executeCall(req, ctx(p, { hard: hard.signal }))).toEqual({ kind: 'aborted', attempts: 1 });
  });

  it('after stop, a retryable failure is not retried and not reported (redone on resume)', async () => {
    const stop = new AbortController();
    const p = port([
      async () => {
        stop.abort();
        throw new ModelCallError('boom', { kind: 'server', retryable: true });
      },
      ok,
    ]);
    expect(await executeCall(req, ctx(p, { stop: stop.signal }))).toEqual({ kind: 'aborted', attempts: 1 });
    expect(p.calls).toBe(1);
  });

  it('an in-flight attempt still finishes after stop (only new attempts are refused)', async () => {
    const stop = new AbortController();
    const p = port([
      async () => {
        stop.abort();
        await new Promise((r) => setTimeout(r, 20));
        return answer;
      },
    ]);
    expect(await executeCall(req, ctx(p, { stop: stop.signal }))).toMatchObject({ kind: 'ok', attempts: 1 });
  });

  it('a rate-limit Retry-After closes the model gate for every caller', async () => {
    const gate = { until: 0 };
    const p = port([fail({ kind: 'rate-limit', retryable: true, retryAfterMs: 80 }), ok]);
    const t0 = Date.now();
    const out = await executeCall(req, ctx(p, { gate }));
    expect(out).toMatchObject({ kind: 'ok', attempts: 2 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    expect(gate.until).toBeGreaterThan(t0);
  });

  it('an abort the engine did not make is retried like a dropped connection', async () => {
    const p = port([
      async () => {
        throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      },
      ok,
    ]);
    expect(await executeCall(req, ctx(p))).toMatchObject({ kind: 'ok', attempts: 2 });
  });

  it('a stop during the backoff wait ends it at once', async () => {
    const stop = new AbortController();
    const p = port([fail({ kind: 'rate-limit', retryable: true, retryAfterMs: 60_000 }), ok]);
    setTimeout(() => stop.abort(), 20);
    const t0 = Date.now();
    expect(await executeCall(req, ctx(p, { stop: stop.signal }))).toEqual({ kind: 'aborted', attempts: 1 });
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
