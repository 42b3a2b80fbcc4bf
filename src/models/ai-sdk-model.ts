import {
  generateText,
  jsonSchema,
  type LanguageModel,
  type ModelMessage,
  type OutputInterface,
  type ToolSet,
} from 'ai';
import type { ChatMessage, JsonSchema, ToolCall, ToolSpec, Usage } from '../core/types.ts';
import { mapModelError } from './map-model-error.ts';
import type { ModelPort, ModelRequest, ModelResponse } from './model-port.ts';

// The SDK prints warnings (unsupported settings…) straight to the console; an eval tool must not.
globalThis.AI_SDK_LOG_WARNINGS = false;

type ProviderOptions = NonNullable<Parameters<typeof generateText>[0]['providerOptions']>;

export interface AiSdkModelOptions {
  /** Full configured id, e.g. `openai:gpt-4o-mini`. */
  id: string;
  provider: string;
  modelName: string;
  /** The AI SDK model. Built by the registry at the first call (keys are read then). */
  languageModel: LanguageModel;
  /** providerOptions key for settings the SDK has no name for (`openai`, `anthropic`, the compatible provider's name…). */
  providerOptionsKey: string;
  /** Provider options sent on every call (merged under the extras), e.g. `{ strictJsonSchema: false }`. */
  baseProviderOptions?: Record<string, unknown>;
  /** HTTP headers for each call, resolved at call time (`${ENV}` references). */
  headers?: () => Record<string, string>;
  /** Values scrubbed from every error message (API key, resolved header values). */
  secrets?: () => readonly string[];
  /** Send `outputSchema` as a JSON-schema response format. Default true. */
  structuredOutput?: boolean;
}

/** Settings the AI SDK knows by name; every other key is passed through providerOptions. */
const knownSettings = new Set([
  'temperature',
  'maxTokens',
  'topP',
  'stop',
  'seed',
  'topK',
  'presencePenalty',
  'frequencyPenalty',
]);

/** A ModelPort over any AI SDK language model: one non-streaming `generateText` call, no SDK retries. */
export function createAiSdkModel(opts: AiSdkModelOptions): ModelPort {
  const structured = opts.structuredOutput ?? true;
  return {
    id: opts.id,
    provider: opts.provider,
    modelName: opts.modelName,
    async generate(request: ModelRequest): Promise<ModelResponse> {
      const { settings, signal } = request;
      const started = performance.now();
      try {
        const extras: Record<string, unknown> = { ...opts.baseProviderOptions };
        for (const [k, v] of Object.entries(settings))
          if (!knownSettings.has(k) && v !== undefined) extras[k] = v;
        const tools = request.tools && request.tools.length > 0 ? toSdkTools(request.tools) : undefined;
        const output = request.outputSchema && structured ? jsonOutput(request.outputSchema) : undefined;
        const result = await generateText({
          model: opts.languageModel,
          messages: toSdkMessages(request.messages),
          allowSystemInMessages: true,
          maxRetries: 0,
          abortSignal: signal,
          headers: opts.headers?.(),
          temperature: num(settings.temperature),
          maxOutputTokens: num(settings.maxTokens),
          topP: num(settings.topP),
          topK: num(settings.topK),
          presencePenalty: num(settings.presencePenalty),
          frequencyPenalty: num(settings.frequencyPenalty),
          stopSequences: stops(settings.stop),
          seed: num(settings.seed),
          ...(tools ? { tools, toolChoice: 'auto' as const } : {}),
          ...(output ? { output } : {}),
          ...(Object.keys(extras).length > 0
            ? { providerOptions: { [opts.providerOptionsKey]: extras } as ProviderOptions }
            : {}),
        });
        const latencyMs = performance.now() - started;
        let text = result.text;
        if (output) {
          try {
            // Providers that answer structured output out of band (a JSON tool) put it here.
            const o: unknown = result.output;
            if (typeof o === 'string' && o.length > 0) text = o;
          } catch {
            // no parsed output (tool-call finish): keep the text
          }
        }
        return {
          text,
          toolCalls: result.toolCalls.map(
            (t): ToolCall => ({ id: t.toolCallId, name: t.toolName, arguments: parseArgs(t.input) }),
          ),
          usage: toUsage(result.usage),
          latencyMs,
          finishReason: result.finishReason,
          responseModel: result.response?.modelId,
        };
      } catch (e) {
        throw mapModelError(e, { signal, secrets: opts.secrets?.(), modelId: opts.id });
      }
    },
  };
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function stops(v: unknown): string[] | undefined {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length > 0) return v.filter((s): s is string => typeof s === 'string');
  return undefined;
}

/**
 * Chat messages → AI SDK messages. Agent turns become tool-call parts on the assistant message and
 * tool-result parts in a `tool` message (matched by call id). A `tool` message without a call id (a
 * transcript turn written in a suite) is sent as a user message with the same text.
 */
export function toSdkMessages(messages: ChatMessage[]): ModelMessage[] {
  return messages.map((m): ModelMessage => {
    switch (m.role) {
      case 'system':
        return { role: 'system', content: m.content };
      case 'assistant':
        if (m.toolCalls && m.toolCalls.length > 0)
          return {
            role: 'assistant',
            content: [
              ...(m.content !== '' ? [{ type: 'text' as const, text: m.content }] : []),
              ...m.toolCalls.map((t, i) => ({
                type: 'tool-call' as const,
                toolCallId: t.id ?? `call_${i}`,
                toolName: t.name,
                input: t.arguments ?? {},
              })),
            ],
          };
        return { role: 'assistant', content: m.content };
      case 'tool':
        if (m.toolCallId !== undefined)
          return {
            role: 'tool',
            content: [
              {
                type: 'tool-result',
                toolCallId: m.toolCallId,
                toolName: m.name ?? '',
                output: { type: 'text', value: m.content },
              },
            ],
          };
        return { role: 'user', content: m.content };
      default:
        return { role: 'user', content: m.content };
    }
  });
}

/** Tools without `execute`: the model's calls are recorded, never run; generation stops after one step. */
function toSdkTools(tools: ToolSpec[]): ToolSet {
  const set: ToolSet = {};
  for (const t of tools) {
    set[t.name] = {
      ...(t.description !== undefined ? { description: t.description } : {}),
      inputSchema: jsonSchema(t.parameters as Parameters<typeof jsonSchema>[0]),
    };
  }
  return set;
}

/**
 * Asks for JSON matching `schema` (response_format json_schema where the provider supports it) and returns
 * the raw text: validating it is the checks' job, so an answer that does not parse is still a result.
 */
function jsonOutput(schema: JsonSchema): OutputInterface<string, string, never> {
  return {
    name: 'assay-json',
    responseFormat: Promise.resolve({
      type: 'json' as const,
      schema: schema as Parameters<typeof jsonSchema>[0],
      name: 'response',
    }),
    async parseCompleteOutput({ text }) {
      return text;
    },
    async parsePartialOutput({ text }) {
      return { partial: text };
    },
    createElementStreamTransform() {
      return undefined;
    },
  };
}

function parseArgs(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

function toUsage(
  u: { inputTokens?: number; outputTokens?: number; totalTokens?: number } | undefined,
): Usage {
  const usage: Usage = {};
  if (!u) return usage;
  if (typeof u.inputTokens === 'number') usage.inputTokens = u.inputTokens;
  if (typeof u.outputTokens === 'number') usage.outputTokens = u.outputTokens;
  if (typeof u.totalTokens === 'number') usage.totalTokens = u.totalTokens;
  else if (usage.inputTokens !== undefined && usage.outputTokens !== undefined)
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  return usage;
}
