import type { ModelConfig } from '../core/config/project.ts';
import type { CheckServices, ModelSettings, Usage } from '../core/types.ts';
import { estimateTokens } from '../models/estimate-tokens.ts';
import { ModelCallError, type ModelPort } from '../models/model-port.ts';
import type { PriceTable } from '../models/price-table.ts';
import type { Store } from '../store/store.ts';
import type { Budget } from './budget.ts';
import { cacheKey } from './cache-key.ts';
import { DEFAULT_OUTPUT_TOKENS, estimateInputTokens } from './call-lane.ts';
import type { ModelThrottle } from './model-throttle.ts';
import { isFreeModel } from './resolve-run.ts';

export interface CheckServicesOptions {
  /** The configured models (a check may only call one of these). */
  models: readonly ModelConfig[];
  resolveModel: (id: string) => ModelPort;
  store: Store;
  /** Read cached answers (answers are always written). */
  cacheRead: boolean;
  /** The run's one budget: every check call is reserved and committed here. */
  budget: Budget;
  priceTable: PriceTable;
  /** Aborts calls in flight when the run stops hard. */
  signal?: AbortSignal;
  /** The model's throttle, shared with the run's target calls to it (rpm/tpm, 429 back-off). */
  throttleFor?: (modelId: string) => ModelThrottle;
}

const NEVER = new AbortController().signal;

/**
 * The model access the engine lends to checks (LLM judges): calls go to configured models through the
 * same registry as targets, are cached under the same key scheme (repeat 0: a judge answer is a
 * function of its prompt), and their cost is reserved and committed in the run's budget. A call the
 * budget cannot admit is not made: it throws, so the check is an error, not a verdict.
 */
export function createCheckServices(o: CheckServicesOptions): CheckServices {
  return {
    async generate(modelId, request) {
      const config = o.models.find((m) => m.id === modelId);
      if (!config) throw new Error(`model ${modelId} is not configured; add it to models: in assay.yaml`);
      const port = o.resolveModel(modelId);
      const settings: ModelSettings = { ...(config.settings ?? {}), ...request.settings };
      const key = cacheKey({
        modelId,
        modelName: port.modelName,
        ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
        settings,
        ...(port.cacheIdentity !== undefined ? { identity: port.cacheIdentity } : {}),
        messages: request.messages,
        repeat: 0,
        ...(request.topLogprobs !== undefined ? { topLogprobs: request.topLogprobs } : {}),
      });
      if (o.cacheRead) {
        const hit = await o.store.getCached(key);
        if (hit)
          return {
            text: hit.text,
            usage: { ...hit.usage } as Usage,
            cost: 0,
            cached: true,
            ...(hit.logprobs ? { logprobs: hit.logprobs } : {}),
          };
      }
      const inputTokens = estimateInputTokens(request.messages);
      const free = isFreeModel(port);
      let ticket: ReturnType<Budget['reserve']> = null;
      if (o.budget.limited) {
        const priced = o.priceTable.priceOf(port, { inputTokens, outputTokens: DEFAULT_OUTPUT_TOKENS });
        const estimate = priced ?? (free ? 0 : null);
        if (estimate === null)
          throw new Error(`model ${modelId} has no known price, so the cost cap cannot cover its calls`);
        ticket = o.budget.reserve(estimate);
        if (!ticket) throw new Error(`over budget: the call to ${modelId} was not made`);
      }
      const throttle = o.throttleFor?.(modelId);
      const tokens = inputTokens + (settings.maxTokens ?? DEFAULT_OUTPUT_TOKENS);
      const pass = throttle ? await throttle.acquire(tokens, o.signal ?? NEVER) : null;
      if (throttle && !pass) {
        if (ticket) o.budget.release(ticket);
        throw new Error(`the run is stopping: the call to ${modelId} was not made`);
      }
      let response: Awaited<ReturnType<ModelPort['generate']>>;
      try {
        response = await port.generate({
          messages: request.messages,
          settings: request.settings,
          ...(request.topLogprobs !== undefined ? { topLogprobs: request.topLogprobs } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
        });
      } catch (e) {
        if (ticket) o.budget.release(ticket);
        if (throttle && pass)
          throttle.release(
            pass,
            e instanceof ModelCallError && e.kind === 'rate-limit'
              ? {
                  kind: 'rate-limited',
                  ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
                }
              : { kind: 'other' },
          );
        throw e;
      }
      if (throttle && pass)
        throttle.release(pass, { kind: 'ok', ...(response.usage ? { usage: response.usage } : {}) });
      const usage: Usage = response.usage ?? {};
      let cost = o.priceTable.priceOf(port, usage);
      if (cost === null && usage.inputTokens === undefined && usage.outputTokens === undefined)
        cost = o.priceTable.priceOf(port, { inputTokens, outputTokens: estimateTokens(response.text) });
      if (cost === null && free) cost = 0;
      if (ticket) o.budget.commit(ticket, cost);
      else o.budget.record(cost);
      await o.store.putCached(key, {
        text: response.text,
        toolCalls: response.toolCalls,
        usage: { ...usage },
        latencyMs: response.latencyMs,
        ...(response.finishReason !== undefined ? { finishReason: response.finishReason } : {}),
        ...(response.logprobs ? { logprobs: response.logprobs } : {}),
      });
      return {
        text: response.text,
        usage,
        cost,
        cached: false,
        ...(response.logprobs ? { logprobs: response.logprobs } : {}),
      };
    },
  };
}
