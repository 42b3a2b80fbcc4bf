import type { ModelConfig } from '../core/config/project.ts';
import { renderCase } from '../core/prompt/render-case.ts';
import type { CaseSpec, ChatMessage } from '../core/types.ts';
import { isJudgeSpec } from '../judges/judge-check.ts';
import type { JudgeSpec } from '../judges/judge-file.ts';
import { buildJudgePrompt } from '../judges/judge-prompt.ts';
import { judgeRefs } from '../judges/judges-in-check.ts';
import type { ModelPort } from '../models/model-port.ts';
import type { PriceTable } from '../models/price-table.ts';
import type { Store } from '../store/store.ts';
import { resultKey } from '../store/store.ts';
import { cacheKey } from './cache-key.ts';
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
  const judges = new JudgeCallTally(options.resolveModel, [
    ...project.models,
    ...(options.checkModels ?? []),
  ]);
  const judgesOf = new Map(plan.cases.map((c) => [c.id, caseJudges(c)]));

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
      const judgeChecks = judgesOf.get(item.testCase.id) ?? [];
      const hit = resolved.cache ? await store.getCached(lane.cacheKey(messages, item.repeat)) : undefined;
      if (hit) {
        cachedCalls++;
        // The output is known: each judge's prompt is exact, and its answer may be cached too.
        for (const judge of judgeChecks)
          await judges.add(
            judge,
            item.testCase,
            messages,
            { text: hit.text },
            resolved.cache ? store : undefined,
          );
        continue;
      }
      mIn += estimateInputTokens(messages);
      const outTokens = lane.maxTokens ?? DEFAULT_OUTPUT_TOKENS;
      mOut += outTokens;
      if (lane.maxTokens === undefined) defaultOutputUsed = true;
      for (const judge of judgeChecks)
        await judges.add(judge, item.testCase, messages, { tokens: outTokens });
    }
    const mCost = mIn + mOut === 0 ? 0 : priceTable.priceOf(port, { inputTokens: mIn, outputTokens: mOut });
    if (mCost === null) unknownPrice.push(model.id);
    perModel.push({ modelId: model.id, calls: mCalls, inputTokens: mIn, outputTokens: mOut, cost: mCost });
    calls += mCalls;
    inputTokens += mIn;
    outputTokens += mOut;
    cost = cost === null || mCost === null ? null : cost + mCost;
  }

  const judgeCalls = judges.lines(priceTable);
  for (const j of judgeCalls) {
    calls += j.calls;
    cachedCalls += j.cachedCalls;
    inputTokens += j.inputTokens;
    outputTokens += j.outputTokens;
    cost = cost === null || j.cost === null ? null : cost + j.cost;
    if (j.cost === null && !unknownPrice.includes(j.modelId)) unknownPrice.push(j.modelId);
  }

  const assumptions = ['input tokens ≈ characters / 4 + 4 per message (not a tokenizer)'];
  if (judgeCalls.length > 0)
    assumptions.push(
      `judge calls: one per planned result per judge check; a judge prompt counts the output it grades as the target's output tokens above (the exact output when the target call is cached), and ${DEFAULT_OUTPUT_TOKENS} output tokens unless the judge sets maxTokens`,
    );
  if (defaultOutputUsed)
    assumptions.push(`${DEFAULT_OUTPUT_TOKENS} output tokens per call where the prompt sets no maxTokens`);
  if (cachedCalls > 0)
    assumptions.push(`${cachedCalls} of the ${calls} calls are answered from the cache: no tokens, no cost`);
  if (completed && completed.size > 0)
    assumptions.push(
      `resuming run ${resolved.resumed?.id}: ${completed.size} results already stored are not counted`,
    );
  for (const id of unknownPrice) {
    const free = isFreeModel(resolved.ports.get(id) ?? options.resolveModel(id));
    assumptions.push(
      free
        ? `${id} has no price (it costs nothing to call)`
        : `the price of ${id} is unknown: add it to a prices file (prices: in assay.yaml)`,
    );
  }
  const maxCost = resolved.maxCost;
  if (maxCost !== undefined) {
    const isFree = (id: string) => isFreeModel(resolved.ports.get(id) ?? options.resolveModel(id));
    const blocking = unknownPrice.filter((id) => resolved.ports.has(id) && !isFree(id));
    // The engine checks target prices before it starts; a judge call it cannot price is refused when due.
    const blockingJudges = unknownPrice.filter((id) => !resolved.ports.has(id) && !isFree(id));
    if (blocking.length > 0)
      assumptions.push(
        `--max-cost cannot be enforced without the price of ${blocking.join(', ')}: the run would refuse to start`,
      );
    if (blockingJudges.length > 0)
      assumptions.push(
        `--max-cost cannot cover judge calls to ${blockingJudges.join(', ')} without a price: each of those judge checks would be an error`,
      );
    else if (cost !== null && cost > maxCost)
      assumptions.push(
        `the estimate is above --max-cost $${maxCost}: the run would stop when the budget is spent (resume it with a higher cap)`,
      );
  }
  return {
    calls,
    cachedCalls,
    inputTokens,
    outputTokens,
    cost,
    perModel,
    ...(judgeCalls.length > 0 ? { judgeCalls } : {}),
    assumptions,
  };
}

/**
 * The judges a case's checks call, one entry per call: `type: judge` checks, each member of a `jury`, and
 * those nested in all/any/weighted (which run every child).
 */
function caseJudges(c: CaseSpec): JudgeSpec[] {
  return c.checks.flatMap((spec) =>
    judgeRefs(spec).flatMap(({ value }) => (isJudgeSpec(value) ? [value] : [])),
  );
}

function lastUserMessage(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i]?.role === 'user') return messages[i]?.content;
  return undefined;
}

type JudgeLine = NonNullable<DryRunEstimate['judgeCalls']>[number];

/** Judge calls of a dry run, per judge model, built the way the judge check builds them (judge-check.ts). */
class JudgeCallTally {
  private readonly byModel = new Map<string, JudgeLine>();
  private readonly resolveModel: (id: string) => ModelPort;
  private readonly models: readonly ModelConfig[];

  constructor(resolveModel: (id: string) => ModelPort, models: readonly ModelConfig[]) {
    this.resolveModel = resolveModel;
    this.models = models;
  }

  /**
   * One judge call for one planned result. `output.text`: the target's (cached) output, so the prompt is
   * exact and the judge's cache can be peeked; `output.tokens`: its estimated length, output unknown.
   */
  async add(
    judge: JudgeSpec,
    testCase: CaseSpec,
    messages: ChatMessage[],
    output: { text: string } | { tokens: number },
    store?: Store,
  ): Promise<void> {
    let line = this.byModel.get(judge.model);
    if (!line) {
      line = {
        modelId: judge.model,
        judges: [],
        calls: 0,
        cachedCalls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cost: 0,
      };
      this.byModel.set(judge.model, line);
    }
    if (!line.judges.includes(judge.name)) line.judges.push(judge.name);
    line.calls++;
    const request = lastUserMessage(messages);
    const prompt = buildJudgePrompt(judge, {
      output: 'text' in output ? output.text : '',
      ...(request !== undefined ? { request } : {}),
      ...(testCase.expected !== undefined ? { expected: testCase.expected } : {}),
      ...(testCase.context !== undefined ? { context: testCase.context } : {}),
    });
    const config = this.models.find((m) => m.id === judge.model);
    // Probability-scored judges add top log-probabilities to their cache key: not peeked, counted as uncached.
    const plainKey = (judge as { scoring?: string }).scoring !== 'probability';
    if ('text' in output && store && config && plainKey) {
      const port = this.resolveModel(judge.model);
      const key = cacheKey({
        modelId: judge.model,
        modelName: port.modelName,
        ...(config.baseUrl !== undefined ? { baseUrl: config.baseUrl } : {}),
        settings: { ...(config.settings ?? {}), ...judge.settings },
        ...(port.cacheIdentity !== undefined ? { identity: port.cacheIdentity } : {}),
        messages: prompt.messages,
        repeat: 0,
      });
      if (await store.getCached(key)) {
        line.cachedCalls++;
        return;
      }
    }
    line.inputTokens += estimateInputTokens(prompt.messages) + ('tokens' in output ? output.tokens : 0);
    const maxTokens = judge.settings.maxTokens ?? config?.settings?.maxTokens;
    line.outputTokens += typeof maxTokens === 'number' && maxTokens > 0 ? maxTokens : DEFAULT_OUTPUT_TOKENS;
  }

  /** One line per judge model, priced through the run's price table (null: price unknown). */
  lines(priceTable: PriceTable): JudgeLine[] {
    return [...this.byModel.values()].map((l) => {
      const usage = { inputTokens: l.inputTokens, outputTokens: l.outputTokens };
      const priced =
        l.inputTokens + l.outputTokens === 0 ? 0 : priceTable.priceOf(this.resolveModel(l.modelId), usage);
      return { ...l, cost: priced };
    });
  }
}
