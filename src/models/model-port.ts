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
}

export interface ModelResponse {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage;
  latencyMs: number;
  finishReason?: string;
  /** Provider-reported model id, when given. */
  responseModel?: string;
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
