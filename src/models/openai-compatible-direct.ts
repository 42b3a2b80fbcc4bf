import type { ChatMessage, JsonSchema, ModelSettings, ToolCall, ToolSpec, Usage } from '../core/types.ts';
import { errorForStatus, mapModelError, redact } from './map-model-error.ts';
import {
  ModelCallError,
  type ModelPort,
  type ModelRequest,
  type ModelResponse,
  type TokenLogprob,
} from './model-port.ts';

/**
 * A ModelPort speaking OpenAI-compatible `/chat/completions` with fetch directly: the same request body,
 * results and error mapping as the AI SDK adapter for `openai-compatible:` models, at about half its CPU
 * per call (see bench/model-overhead.ts). Chosen with `adapter: direct` on the model.
 */

export interface DirectModelOptions {
  id: string;
  provider: string;
  modelName: string;
  /** Base URL ending in `/v1` (or wherever `/chat/completions` lives). */
  baseURL: string;
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey?: string;
  /** Extra headers for each call, resolved at call time. */
  headers?: () => Record<string, string>;
  /** Values scrubbed from every error message. */
  secrets?: () => readonly string[];
  fetch?: typeof fetch;
  /** Send `outputSchema` as a json_schema response format. Default true. */
  structuredOutput?: boolean;
}

const renamed: Record<string, string> = {
  maxTokens: 'max_tokens',
  topP: 'top_p',
  topK: 'top_k',
  presencePenalty: 'presence_penalty',
  frequencyPenalty: 'frequency_penalty',
};

/** The JSON body for one request (exported for tests). */
export function buildChatBody(
  modelName: string,
  request: ModelRequest,
  structuredOutput = true,
): Record<string, unknown> {
  const body: Record<string, unknown> = { model: modelName };
  const s: ModelSettings = request.settings;
  for (const [k, v] of Object.entries(s)) {
    if (v === undefined) continue;
    if (k === 'stop') {
      const stop = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 ? v : undefined;
      if (stop) body.stop = stop;
      continue;
    }
    body[renamed[k] ?? k] = v;
  }
  if (request.outputSchema && structuredOutput) {
    body.response_format = {
      type: 'json_schema',
      json_schema: { schema: request.outputSchema as JsonSchema, strict: false, name: 'response' },
    };
  }
  body.messages = request.messages.map(toChatMessage);
  if (request.tools && request.tools.length > 0) {
    body.tools = request.tools.map((t: ToolSpec) => ({
      type: 'function',
      function: {
        name: t.name,
        ...(t.description !== undefined ? { description: t.description } : {}),
        parameters: t.parameters,
      },
    }));
    body.tool_choice = 'auto';
  }
  if (request.topLogprobs !== undefined) {
    body.logprobs = true;
    body.top_logprobs = request.topLogprobs;
  }
  return body;
}

/**
 * One chat message in the wire format. Agent turns carry their tool calls (arguments as a JSON string) and
 * tool results (`tool` role with the call's id); a `tool` message without an id (a transcript turn written
 * in a suite) is sent as a user message, as before.
 */
function toChatMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'assistant' && m.toolCalls && m.toolCalls.length > 0)
    return {
      role: 'assistant',
      content: m.content === '' ? null : m.content,
      tool_calls: m.toolCalls.map((t, i) => ({
        id: t.id ?? `call_${i}`,
        type: 'function',
        function: {
          name: t.name,
          arguments: typeof t.arguments === 'string' ? t.arguments : JSON.stringify(t.arguments ?? {}),
        },
      })),
    };
  if (m.role === 'tool' && m.toolCallId !== undefined)
    return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  return { role: m.role === 'system' || m.role === 'assistant' ? m.role : 'user', content: m.content };
}

const finishReasons: Record<string, string> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

interface ChatCompletion {
  model?: unknown;
  choices?: {
    message?: {
      content?: unknown;
      tool_calls?: { id?: unknown; function?: { name?: unknown; arguments?: unknown } }[];
    };
    finish_reason?: unknown;
    logprobs?: { content?: unknown } | null;
  }[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown };
}

function parseArguments(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw ?? {};
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isLogprob(v: unknown): v is { token: string; logprob: number } {
  const o = v as { token?: unknown; logprob?: unknown } | null;
  return typeof o?.token === 'string' && typeof o.logprob === 'number';
}

/**
 * `choices[0].logprobs.content` as TokenLogprob[]; undefined when absent or not of the documented shape
 * (a provider that ignores the request is not an error: judges fall back to the sampled answer).
 */
export function readLogprobs(raw: unknown): TokenLogprob[] | undefined {
  const content = (raw as { content?: unknown } | null | undefined)?.content;
  if (!Array.isArray(content) || content.length === 0) return undefined;
  const out: TokenLogprob[] = [];
  for (const t of content as unknown[]) {
    if (!isLogprob(t)) return undefined;
    const alternatives: unknown = (t as { top_logprobs?: unknown }).top_logprobs;
    const top = Array.isArray(alternatives) ? alternatives.filter(isLogprob) : [];
    out.push({
      token: t.token,
      logprob: t.logprob,
      top: top.map((a) => ({ token: a.token, logprob: a.logprob })),
    });
  }
  return out;
}

/** Reads a 2xx body into a ModelResponse; a body of the wrong shape is a bad-response error. */
export function readCompletion(json: unknown, latencyMs: number): ModelResponse | string {
  const c = json as ChatCompletion;
  const choice = Array.isArray(c?.choices) ? c.choices[0] : undefined;
  const message = choice?.message;
  if (!message || typeof message !== 'object') return 'no choices[0].message in the response';
  if (message.content !== undefined && message.content !== null && typeof message.content !== 'string')
    return 'choices[0].message.content is not a string';
  const toolCalls: ToolCall[] = [];
  for (const t of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (typeof t?.function?.name !== 'string') return 'a tool call has no function name';
    toolCalls.push({
      ...(typeof t.id === 'string' ? { id: t.id } : {}),
      name: t.function.name,
      arguments: parseArguments(t.function.arguments),
    });
  }
  const usage: Usage = {};
  const u = c.usage;
  if (typeof u?.prompt_tokens === 'number') usage.inputTokens = u.prompt_tokens;
  if (typeof u?.completion_tokens === 'number') usage.outputTokens = u.completion_tokens;
  if (typeof u?.total_tokens === 'number') usage.totalTokens = u.total_tokens;
  else if (usage.inputTokens !== undefined && usage.outputTokens !== undefined)
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  const raw = typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined;
  const logprobs = readLogprobs(choice?.logprobs);
  return {
    text: typeof message.content === 'string' ? message.content : '',
    toolCalls,
    usage,
    latencyMs,
    finishReason: raw === undefined ? 'other' : (finishReasons[raw] ?? 'other'),
    ...(typeof c.model === 'string' ? { responseModel: c.model } : {}),
    ...(logprobs ? { logprobs } : {}),
  };
}

function errorMessage(bodyText: string, statusText: string): string {
  try {
    const j = JSON.parse(bodyText) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof j.error === 'string') return j.error;
    if (typeof j.error?.message === 'string') return j.error.message;
    if (typeof j.message === 'string') return j.message;
  } catch {
    // not JSON (an HTML error page from a proxy…)
  }
  return statusText || 'error';
}

export function createOpenAICompatibleDirect(opts: DirectModelOptions): ModelPort {
  const url = `${opts.baseURL.replace(/\/+$/, '')}/chat/completions`;
  const doFetch =
    opts.fetch ?? ((input: Parameters<typeof fetch>[0], init?: RequestInit) => fetch(input, init));
  const structured = opts.structuredOutput ?? true;
  return {
    id: opts.id,
    provider: opts.provider,
    modelName: opts.modelName,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const { signal } = request;
      const started = performance.now();
      const fail = (message: string, kind: 'bad-response', status: number) =>
        new ModelCallError(redact(`${opts.id}: ${message}`, opts.secrets?.()), {
          kind,
          retryable: true,
          status,
        });
      try {
        const headers: Record<string, string> = {
          'content-type': 'application/json',
          accept: 'application/json',
        };
        if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
        if (opts.headers) Object.assign(headers, opts.headers());
        const res = await doFetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify(buildChatBody(opts.modelName, request, structured)),
          signal,
        });
        const text = await res.text();
        if (!res.ok) {
          throw errorForStatus(
            res.status,
            redact(`${opts.id}: HTTP ${res.status}: ${errorMessage(text, res.statusText)}`, opts.secrets?.()),
            { headers: res.headers },
          );
        }
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch (e) {
          throw fail(
            `bad response (status ${res.status}): invalid JSON: ${(e as Error).message}`,
            'bad-response',
            res.status,
          );
        }
        const out = readCompletion(json, performance.now() - started);
        if (typeof out === 'string')
          throw fail(`bad response (status ${res.status}): ${out}`, 'bad-response', res.status);
        return out;
      } catch (e) {
        throw mapModelError(e, { signal, secrets: opts.secrets?.(), modelId: opts.id });
      }
    },
  };
}
