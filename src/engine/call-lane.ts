import type { BoundCheck, ModelConfig } from '../core/config/project.ts';
import type { ChatMessage, ModelSettings, PromptSpec } from '../core/types.ts';
import { estimateTokens } from '../models/estimate-tokens.ts';
import type { ModelPort } from '../models/model-port.ts';
import { type CaseInput, createCacheKeyer } from './cache-key.ts';

/** Output tokens assumed per call when a prompt sets no maxTokens (dry run and first budget estimates). */
export const DEFAULT_OUTPUT_TOKENS = 256;

/** Tokens a chat format adds per message (role markers), on top of the content. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Everything fixed for one prompt × model, computed once per run instead of once per call. */
export interface CallLane {
  prompt: PromptSpec;
  model: ModelConfig;
  port: ModelPort;
  /** The model's configured settings under the prompt's own (the prompt wins). */
  settings: ModelSettings;
  /** The prompt's maxTokens, when set (a bound on output tokens). */
  maxTokens?: number;
  /** `input`: the case's vars and id, part of the key when the port answers from them (targets). */
  cacheKey: (messages: ChatMessage[], repeat: number, input?: CaseInput) => string;
  /** Largest output (tokens) seen on this lane in this run; refines budget estimates. */
  observedOutputTokens?: number;
}

export function createCallLane(prompt: PromptSpec, model: ModelConfig, port: ModelPort): CallLane {
  const settings: ModelSettings = { ...(model.settings ?? {}), ...prompt.settings };
  const lane: CallLane = {
    prompt,
    model,
    port,
    settings,
    cacheKey: createCacheKeyer({
      modelId: model.id,
      modelName: port.modelName,
      baseUrl: model.baseUrl,
      settings,
      outputSchema: prompt.outputSchema,
      tools: prompt.tools,
      identity: port.cacheIdentity,
      ...(port.keyByVars ? { keyByVars: true } : {}),
    }),
  };
  if (typeof settings.maxTokens === 'number' && settings.maxTokens > 0) lane.maxTokens = settings.maxTokens;
  return lane;
}

/** Estimated input tokens of rendered messages: ⌈characters / 4⌉ per message plus a small per-message overhead. */
export function estimateInputTokens(messages: readonly ChatMessage[]): number {
  let n = 0;
  for (const m of messages) n += estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS;
  return n;
}

/**
 * Output tokens to budget for the next call of a lane: maxTokens when set (a real bound); else 1.25 × the
 * longest output seen so far; else the default of 256.
 */
export function expectedOutputTokens(lane: CallLane): number {
  if (lane.maxTokens !== undefined) return lane.maxTokens;
  if (lane.observedOutputTokens !== undefined) return Math.ceil(lane.observedOutputTokens * 1.25) + 1;
  return DEFAULT_OUTPUT_TOKENS;
}

/** Checks of one case, or none. */
export function checksOf(bySuite: Map<string, BoundCheck[]> | undefined, caseId: string): BoundCheck[] {
  return bySuite?.get(caseId) ?? [];
}
