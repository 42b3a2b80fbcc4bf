import type {
  ChatMessage,
  ErrorKind,
  JsonSchema,
  ModelSettings,
  ToolCall,
  ToolSpec,
  Usage,
} from '../core/types.ts';

/** The one call every model adapter implements. Everything above `models/` sees only this. */
export interface ModelRequest {
  messages: ChatMessage[];
  settings: ModelSettings;
  outputSchema?: JsonSchema;
  tools?: ToolSpec[];
  /**
   * The sample index (the run's repeat index, 0-based): repeated samples of one request differ only here.
   * Adapters ignore it; record/replay uses it to keep samples apart.
   */
  sample?: number;
  /** Aborts the call (timeouts and Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Ask for the N most likely alternatives at each output position (probability-weighted judge scores).
   * Adapters that cannot return log-probabilities ignore it; the response then has no `logprobs`.
   */
  topLogprobs?: number;
  /**
   * The case's variables and id. Models ignore them (they see the rendered messages); `http:` and `file:`
   * targets (a team's own application) take them as their input.
   */
  vars?: Record<string, unknown>;
  caseId?: string;
}

/** One output position's log-probability and its most likely alternatives (natural log). */
export interface TokenLogprob {
  token: string;
  logprob: number;
  top: { token: string; logprob: number }[];
}

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  latencyMs: number;
  finishReason?: string;
  /** Provider-reported model id, when given. */
  responseModel?: string;
  /** Per output token, when `topLogprobs` was asked for and the provider returned them. */
  logprobs?: TokenLogprob[];
  /**
   * USD of this call as the adapter knows it (a target's per-call `price`, or the cost a `file:` target
   * reports); when set it replaces pricing by tokens.
   */
  cost?: number;
}

export interface ModelPort {
  /** Full id as configured: `openai:gpt-4o-mini`, `openai-compatible:local`, `fake:echo`. */
  readonly id: string;
  readonly provider: string;
  /** The vendor's model name, used for pricing. */
  readonly modelName: string;
  /**
   * What else decides the answers besides the request, for the response cache: a fake model's script,
   * a local model file's identity. Never a secret.
   */
  readonly cacheIdentity?: string;
  /**
   * The answer depends on the request's `vars` and `caseId`, not only on the messages (targets): the
   * response cache keys by them too.
   */
  readonly keyByVars?: boolean;
  generate(request: ModelRequest): Promise<ModelResponse>;
}

/**
 * A model call that failed. `retryable` drives the engine's retries; `retryAfterMs` comes from the
 * server's Retry-After / retry-after-ms header.
 */
export class ModelCallError extends Error {
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
  constructor(
    message: string,
    opts: { kind: ErrorKind; retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(message, { cause: opts.cause });
    this.name = 'ModelCallError';
    this.kind = opts.kind;
    this.retryable = opts.retryable;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}
