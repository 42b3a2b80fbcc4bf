import { renderCase } from '../core/prompt/render-case.ts';
import type { ModelPort } from '../models/model-port.ts';
import { resultKey } from '../store/store.ts';
import { createCallLane, DEFAULT_OUTPUT_TOKENS, estimateInputTokens } from './call-lane.ts';
import { planItems } from './plan-run.ts';
import { projectPriceTable } from './project-price-table.ts';
import { isFreeModel, resolveRun } from './resolve-run.ts';
import type { DryRunEstimate, RunOptions } from './run-options.ts';

/**
 * `--dry-run`: renders every planned call (one at a time, nothing kept), peeks the response cache, and
 * estimates tokens and cost. Nothing is sent and nothing is written.
 */
export async function estimateRun(options: RunOptions): Promise<DryRunEstimate> {
  const { project, store } = options;
  const resolved = await resolveRun(options);
  const { plan, completed } = resolved;
  const priceTable = options.priceTable ?? projectPriceTable(project);
  const perModel: DryRunEstimate['perModel'] = [];
  const unknownPrice: string[] = [];
  let defaultOutputUsed = false;
  let calls = 0;
  let cachedCalls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let cost: number | null = 0;

  for (const model of plan.models) {
    const port = resolved.ports.get(model.id) as ModelPort;
    const lanes = new Map(plan.prompts.map((p) => [p.name, createCallLane(p, model, port)]));
    let mCalls = 0;
    let mIn = 0;
    let mOut = 0;
    for (const item of planItems(plan, model.id)) {
      const key = {
        promptVersion: item.prompt.version,
        modelId: model.id,
        caseId: item.testCase.id,
        repeat: item.repeat,
      };
      if (completed?.has(resultKey(key))) continue;
      const lane = lanes.get(item.prompt.name);
      if (!lane) continue;
      const messages = renderCase(item.prompt, item.testCase, { file: plan.suite.file });
      mCalls++;
      if (resolved.cache && (await store.getCached(lane.cacheKey(messages, item.repeat)))) {
        cachedCalls++;
        continue;
      }
      mIn += estimateInputTokens(messages);
      if (lane.maxTokens !== undefined) mOut += lane.maxTokens;
      else {
        mOut += DEFAULT_OUTPUT_TOKENS;
        defaultOutputUsed = true;
      }
    }
    const mCost = mIn + mOut === 0 ? 0 : priceTable.priceOf(port, { inputTokens: mIn, outputTokens: mOut });
    if (mCost === null) unknownPrice.push(model.id);
    perModel.push({ modelId: model.id, calls: mCalls, inputTokens: mIn, outputTokens: mOut, cost: mCost });
    calls += mCalls;
    inputTokens += mIn;
    outputTokens += mOut;
    cost = cost === null || mCost === null ? null : cost + mCost;
  }

  const assumptions = ['input tokens ≈ characters / 4 + 4 per message (not a tokenizer)'];
  if (defaultOutputUsed)
    assumptions.push(`${DEFAULT_OUTPUT_TOKENS} output tokens per call where the prompt sets no maxTokens`);
  if (cachedCalls > 0)
    assumptions.push(`${cachedCalls} of the ${calls} calls are answered from the cache: no tokens, no cost`);
  if (completed && completed.size > 0)
    assumptions.push(
      `resuming run ${resolved.resumed?.id}: ${completed.size} results already stored are not counted`,
    );
  for (const id of unknownPrice) {
    const free = isFreeModel(resolved.ports.get(id) as ModelPort);
    assumptions.push(
      free
        ? `${id} has no price (it costs nothing to call)`
        : `the price of ${id} is unknown: add it to a prices file (prices: in assay.yaml)`,
    );
  }
  const maxCost = resolved.maxCost;
  if (maxCost !== undefined) {
    const blocking = unknownPrice.filter((id) => !isFreeModel(resolved.ports.get(id) as ModelPort));
    if (blocking.length > 0)
      assumptions.push(
        `--max-cost cannot be enforced without the price of ${blocking.join(', ')}: the run would refuse to start`,
      );
    else if (cost !== null && cost > maxCost)
      assumptions.push(
        `the estimate is above --max-cost $${maxCost}: the run would stop when the budget is spent (resume it with a higher cap)`,
      );
  }
  return { calls, cachedCalls, inputTokens, outputTokens, cost, perModel, assumptions };
}
