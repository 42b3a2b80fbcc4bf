import { randomBytes } from 'node:crypto';
import { runChecks } from '../core/checks/run-checks.ts';
import { caseVars } from '../core/prompt/case-vars.ts';
import { extractionCheck } from '../core/prompt/extract-answer.ts';
import { renderCase } from '../core/prompt/render-case.ts';
import type {
  CheckOutput,
  CheckResult,
  ErrorKind,
  ResultRecord,
  RunStatus,
  Trajectory,
  Usage,
} from '../core/types.ts';
import { estimateTokens } from '../models/estimate-tokens.ts';
import type { ModelPort, ModelResponse } from '../models/model-port.ts';
import { type CachedResponse, type CacheEntry, resultKey } from '../store/store.ts';
import { Budget, type BudgetTicket } from './budget.ts';
import { buildManifest, type ManifestOptions } from './build-manifest.ts';
import {
  type CallLane,
  checksOf,
  createCallLane,
  estimateInputTokens,
  expectedOutputTokens,
} from './call-lane.ts';
import { createCheckServices } from './create-check-services.ts';
import { defaultExecutors } from './default-executors.ts';
import { executeCall, type RateGate } from './execute-call.ts';
import type { StepAnswer, StepOutcome, StepRequest } from './item-executor.ts';
import { ModelThrottle } from './model-throttle.ts';
import { planItems, type WorkItem } from './plan-run.ts';
import { projectPriceTable } from './project-price-table.ts';
import { assertPricesKnown, isFreeModel, resolveRun } from './resolve-run.ts';
import { createResultWriter } from './result-writer.ts';
import { createRetryPolicy } from './retry-policy.ts';
import type { DryRunEstimate, Progress, RunOptions, RunOutcome } from './run-options.ts';

export { estimateRun } from './estimate-run.ts';
export { projectPriceTable } from './project-price-table.ts';

/** Progress callbacks at most this often. */
const PROGRESS_INTERVAL_MS = 100;
/** Longest stretch of work without giving the event loop a turn. */
const YIELD_EVERY_MS = 10;

/** A new run id: 12 hex digits (any unique prefix of 4+ finds it). */
export function newRunId(): string {
  return randomBytes(6).toString('hex');
}

/** A model's share of the run: its lanes (one per prompt), its lazy work list and its rate-limit gate. */
interface ModelWork {
  port: ModelPort;
  lanes: Map<string, CallLane>;
  items: Generator<WorkItem, void, undefined>;
  gate: RateGate;
  /** Gate, rpm/tpm and adaptive calls in flight; shared with checks' calls to the same model. */
  throttle: ModelThrottle;
  concurrency: number;
  timeoutMs: number;
}

/**
 * Runs prompts × models × cases × repeats of one suite and streams the results to the store. Resolves
 * with the stored run record; a run stopped by its signal or its budget resolves too (`incomplete`).
 * Throws AssayError (exit 2) on bad options, a changed project on resume, or an unknown price under a cap.
 */
export function runEval(options: RunOptions): Promise<RunOutcome> {
  return execute(options);
}

/** Some items of a run already in the store: a queue worker's job (src/queue/run-worker.ts). */
export interface RunItems {
  runId: string;
  items: readonly WorkItem[];
}

/**
 * Runs the given items of an existing run, with the same engine as `runEval`, and streams their results
 * to the store. The plan (options' selection) must be the run's. Leaves the run's status alone: the
 * caller decides when the run is complete. Resolves `incomplete` when stopped by the signal.
 */
export function runItems(options: RunOptions, job: RunItems): Promise<RunOutcome> {
  return execute(options, job);
}

async function execute(options: RunOptions, job?: RunItems): Promise<RunOutcome> {
  const { project, store } = options;
  const resolved = await resolveRun(options);
  const { plan, completed } = resolved;
  const priceTable = options.priceTable ?? projectPriceTable(project);
  if (resolved.maxCost !== undefined) assertPricesKnown(resolved.ports.values(), priceTable);

  // Create the run (or mark the resumed one running) only once every check above has passed.
  let runId: string;
  let spentBefore = 0;
  if (job) runId = job.runId;
  else if (resolved.resumed) {
    runId = resolved.resumed.id;
    spentBefore = resolved.resumed.cost;
    await store.setRunStatus(runId, 'running');
  } else {
    const manifestOptions: ManifestOptions = {
      concurrency: options.concurrency ?? project.defaults.concurrency,
      timeoutMs: options.timeoutMs ?? project.defaults.timeoutMs,
      maxRetries: resolved.maxRetries,
      ...(resolved.maxCost !== undefined ? { maxCost: resolved.maxCost } : {}),
      cache: resolved.cache,
      ...(resolved.filter && Object.values(resolved.filter).some((v) => v !== undefined)
        ? { filter: resolved.filter }
        : {}),
    };
    const manifest = await buildManifest({
      project,
      plan,
      options: manifestOptions,
      priceTable,
      seed: resolved.seed,
    });
    runId = newRunId();
    await store.createRun({ id: runId, manifest, planned: plan.size });
  }

  const budget = options.budget ?? new Budget({ cap: resolved.maxCost, spent: spentBefore });
  if (options.budget && spentBefore > 0) options.budget.record(spentBefore);
  const policy = createRetryPolicy({
    maxRetries: resolved.maxRetries,
    seed: resolved.seed,
    ...options.retry,
  });
  const cacheRead = resolved.cache;
  const executors = options.executors ?? defaultExecutors;
  const checksBySuite = project.checks.get(plan.suite.name);
  const suiteFile = plan.suite.file;
  const startedAt = performance.now();
  const alreadyDone = completed?.size ?? 0;

  // Stopping: `stop` ends new work (user signal, budget, store failure); `hard` aborts calls in flight.
  const stop = new AbortController();
  const hard = new AbortController();
  let interrupted = false;
  let overBudget = false;
  let fatal: { error: unknown } | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  const onUserAbort = () => {
    interrupted = true;
    stop.abort(options.signal?.reason);
    const drain = options.drainTimeoutMs;
    if (drain === 0) hard.abort(options.signal?.reason);
    else if (drain !== undefined) drainTimer = setTimeout(() => hard.abort(options.signal?.reason), drain);
  };
  const failRun = (error: unknown) => {
    fatal ??= { error };
    stop.abort(error);
    hard.abort(error);
  };
  if (options.signal?.aborted) onUserAbort();
  else options.signal?.addEventListener('abort', onUserAbort, { once: true });
  const onForce = () => {
    onUserAbort();
    hard.abort(options.force?.reason);
  };
  if (options.force?.aborted) onForce();
  else options.force?.addEventListener('abort', onForce, { once: true });

  // One throttle per model id, shared by target calls and checks' calls (judges) to that model.
  const throttles = new Map<string, ModelThrottle>();
  const configured = [...plan.models, ...project.models, ...(options.checkModels ?? [])];
  const throttleFor = (modelId: string): ModelThrottle => {
    let t = throttles.get(modelId);
    if (!t) {
      const config = configured.find((m) => m.id === modelId);
      t = new ModelThrottle({
        modelId,
        concurrency: config ? resolved.concurrency(config) : project.defaults.concurrency,
        ...(config?.rpm !== undefined ? { rpm: config.rpm } : {}),
        ...(config?.tpm !== undefined ? { tpm: config.tpm } : {}),
        maxRetryAfterMs: policy.maxRetryAfterMs,
      });
      throttles.set(modelId, t);
    }
    return t;
  };
  /** Target calls per lane: answered from the cache vs sent. */
  const callCounts = new Map<CallLane, { cached: number; fresh: number }>();
  const countCall = (lane: CallLane, cached: boolean) => {
    let c = callCounts.get(lane);
    if (!c) {
      c = { cached: 0, fresh: 0 };
      callCounts.set(lane, c);
    }
    if (cached) c.cached++;
    else c.fresh++;
  };

  // Model calls made by checks (LLM judges): same registry, cache and budget as the targets.
  const services = createCheckServices({
    models: [...project.models, ...(options.checkModels ?? [])],
    resolveModel: options.resolveModel,
    store,
    cacheRead,
    budget,
    priceTable,
    signal: hard.signal,
    throttleFor,
  });

  // Counters (this session) and progress.
  let emitted = 0;
  let errors = 0;
  let cachedCount = 0;
  let retries = 0;
  let requests = 0;
  let lastProgress = 0;
  let progressTimer: NodeJS.Timeout | undefined;
  const emitProgress = () => {
    if (!options.onProgress) return;
    lastProgress = performance.now();
    const p: Progress = {
      runId,
      planned: plan.size,
      done: alreadyDone + emitted,
      errors,
      cached: cachedCount,
      cost: budget.spent,
      costUnknown: budget.costUnknown,
      elapsedMs: lastProgress - startedAt,
      retries,
    };
    if (throttles.size > 0) {
      let throttled = 0;
      let rateLimited = 0;
      const reduced: NonNullable<Progress['concurrency']> = [];
      for (const t of throttles.values()) {
        throttled += t.throttled;
        rateLimited += t.rateLimited;
        if (t.concurrency.limit < t.concurrency.max)
          reduced.push({ modelId: t.modelId, current: t.concurrency.limit, max: t.concurrency.max });
      }
      p.throttled = throttled;
      p.rateLimited = rateLimited;
      if (reduced.length > 0) p.concurrency = reduced;
    }
    try {
      options.onProgress(p);
    } catch {
      // a broken progress display must not stop the run
    }
  };
  const tickProgress = () => {
    if (!options.onProgress || progressTimer) return;
    const wait = lastProgress + PROGRESS_INTERVAL_MS - performance.now();
    if (wait <= 0) emitProgress();
    else
      progressTimer = setTimeout(() => {
        progressTimer = undefined;
        emitProgress();
      }, wait);
  };

  const writer = createResultWriter(store, {
    onWritten: options.onResult
      ? (batch) => {
          for (const r of batch)
            try {
              options.onResult?.(r);
            } catch {
              // the caller's callback must not stop the run
            }
        }
      : undefined,
    onError: failRun,
  });

  const emit = (record: ResultRecord, cache?: readonly CacheEntry[]): Promise<void> => {
    emitted++;
    if (record.status === 'error') errors++;
    if (record.cached) cachedCount++;
    tickProgress();
    return writer.add(record, cache);
  };

  const base = (item: WorkItem) => ({
    runId,
    prompt: item.prompt.name,
    promptVersion: item.prompt.version,
    modelId: item.model.id,
    caseId: item.testCase.id,
    repeat: item.repeat,
    ...(item.testCase.category !== undefined ? { category: item.testCase.category } : {}),
    tags: item.testCase.tags,
    ...(item.testCase.cluster !== undefined ? { cluster: item.testCase.cluster } : {}),
  });

  const errorRecord = (item: WorkItem, kind: ErrorKind, message: string, attempts: number): ResultRecord => ({
    ...base(item),
    status: 'error',
    checks: [],
    error: { kind, message },
    usage: {},
    cost: 0,
    attempts,
    cached: false,
    createdAt: new Date().toISOString(),
  });

  /** Cost of one answered call; usage missing → priced from estimated tokens when the price is known. */
  const costOf = (port: ModelPort, usage: Usage, inputTokens: () => number, text: string): number | null => {
    const c = priceTable.priceOf(port, usage);
    if (c !== null || usage.inputTokens !== undefined || usage.outputTokens !== undefined) return c;
    return priceTable.priceOf(port, { inputTokens: inputTokens(), outputTokens: estimateTokens(text) });
  };

  const scored = async (
    item: WorkItem,
    messages: ReturnType<typeof renderCase>,
    answer: StepAnswer,
    meta: {
      cost: number | null;
      attempts: number;
      cached: boolean;
      callCost?: number | null;
      trajectory?: Trajectory;
      stepChecks?: CheckResult[];
    },
  ): Promise<ResultRecord> => {
    // A chain-of-thought prompt: checks see the extracted answer, the stored output keeps the reasoning.
    const extracted =
      item.prompt.extract !== undefined ? extractionCheck(answer.text, item.prompt.extract) : undefined;
    const output: CheckOutput = {
      text: extracted ? extracted.text : answer.text,
      toolCalls: answer.toolCalls,
      latencyMs: answer.latencyMs,
      usage: answer.usage,
      // A cached answer spent nothing now, but a `cost` check judges what the call costs.
      cost: meta.callCost !== undefined ? meta.callCost : meta.cost,
      ...(meta.trajectory ? { trajectory: meta.trajectory } : {}),
    };
    const checks = checksOf(checksBySuite, item.testCase.id);
    const caseResults: CheckResult[] =
      checks.length > 0
        ? await runChecks(checks, output, item.testCase, {
            prompt: item.prompt,
            messages,
            modelId: item.model.id,
            services,
          })
        : [];
    const checked = meta.stepChecks ? [...meta.stepChecks, ...caseResults] : caseResults;
    const results = extracted ? [extracted.check, ...checked] : checked;
    // A found answer is a record, not a judgment: it does not raise the score.
    const judged = extracted?.check.pass ? checked : results;
    let pass = true;
    let sum = 0;
    for (const r of judged) {
      if (!r.pass) pass = false;
      sum += r.score ?? (r.pass ? 1 : 0);
    }
    // A check that broke says nothing about the output: the result is an error (kept apart from pass
    // rates), not a failure.
    const broken = results.find((r) => r.error !== undefined);
    const record: ResultRecord = {
      ...base(item),
      status: broken ? 'error' : pass ? 'pass' : 'fail',
      ...(broken
        ? { error: { kind: 'check' as const, message: `${broken.name ?? broken.type}: ${broken.error}` } }
        : {}),
      output: answer.text,
      toolCalls: answer.toolCalls,
      checks: results,
      score: judged.length > 0 ? sum / judged.length : 1,
      usage: answer.usage,
      latencyMs: answer.latencyMs,
      cost: meta.cost,
      attempts: meta.attempts,
      cached: meta.cached,
      ...(meta.trajectory ? { trajectory: meta.trajectory } : {}),
      ...(answer.finishReason !== undefined ? { finishReason: answer.finishReason } : {}),
      createdAt: new Date().toISOString(),
    };
    return record;
  };

  /** Reserves the call's estimated cost; waits while other calls hold reservations; null = over budget or stopping. */
  const admit = async (
    lane: CallLane,
    messages: ReturnType<typeof renderCase>,
  ): Promise<BudgetTicket | null> => {
    for (;;) {
      if (stop.signal.aborted) return null;
      const inputTokens = estimateInputTokens(messages);
      // The price table gives fake: and local: models $0 unless a prices file prices them: reserve that.
      const estimate =
        priceTable.priceOf(lane.port, { inputTokens, outputTokens: expectedOutputTokens(lane) }) ?? 0;
      const ticket = budget.reserve(estimate);
      if (ticket) return ticket;
      if (budget.outstanding > 0) {
        await budget.settled(stop.signal);
        continue;
      }
      // Nothing in flight. When the output length is still unknown (no maxTokens, no answer seen yet), one
      // probe call may start if its input fits: its answer replaces the 256-token guess.
      if (lane.maxTokens === undefined && lane.observedOutputTokens === undefined) {
        const probe = budget.reserve(priceTable.priceOf(lane.port, { inputTokens, outputTokens: 0 }) ?? 0);
        if (probe) return probe;
      }
      overBudget = true;
      stop.abort(new Error('over budget'));
      return null;
    }
  };

  /**
   * One call to the item's target: from the cache when it holds the answer, else admitted by the budget,
   * made with retries and priced. A fresh answer's cache entry joins `cacheEntries`, to be stored in the
   * same transaction as the item's result.
   */
  const callStep = async (
    work: ModelWork,
    lane: CallLane,
    item: WorkItem,
    request: StepRequest,
    cacheEntries: CacheEntry[],
  ): Promise<StepOutcome> => {
    const { messages } = request;
    const input = { vars: caseVars(item.testCase), caseId: item.testCase.id };
    const key = lane.cacheKey(messages, item.repeat, input);
    if (cacheRead) {
      const hit = await store.getCached(key);
      if (hit) {
        const answer = fromCache(hit);
        countCall(lane, true);
        // A target that prices its own calls (http:/file: `price`) kept that price with the answer.
        const callCost =
          typeof hit.cost === 'number'
            ? hit.cost
            : costOf(work.port, answer.usage, () => estimateInputTokens(messages), answer.text);
        return { kind: 'ok', answer, cost: 0, callCost, cached: true, attempts: 0 };
      }
    }
    if (stop.signal.aborted) return { kind: 'stopped' };
    let ticket: BudgetTicket | null = null;
    if (budget.limited) {
      ticket = await admit(lane, messages);
      if (!ticket) return { kind: 'stopped' };
    }
    const outcome = await executeCall(
      {
        messages,
        settings: lane.settings,
        outputSchema: item.prompt.outputSchema,
        tools: item.prompt.tools,
        sample: item.repeat,
        ...(work.port.keyByVars ? input : {}),
      },
      {
        port: work.port,
        policy,
        timeoutMs: work.timeoutMs,
        stop: stop.signal,
        hard: hard.signal,
        gate: work.gate,
        throttle: work.throttle,
        ...(work.throttle.countsTokens
          ? { tokens: estimateInputTokens(messages) + expectedOutputTokens(lane) }
          : {}),
        onAttempt: () => {
          requests++;
        },
        onRetry: () => {
          retries++;
          tickProgress();
        },
      },
    );
    if (outcome.attempts > 0) countCall(lane, false);
    if (outcome.kind !== 'ok') {
      if (ticket) budget.release(ticket);
      if (outcome.kind === 'error')
        return {
          kind: 'error',
          error: { kind: outcome.error.kind, message: outcome.error.message },
          attempts: outcome.attempts,
        };
      return { kind: 'stopped' };
    }
    const r = outcome.response;
    const usage: Usage = r.usage ?? {};
    let cost =
      typeof r.cost === 'number'
        ? r.cost
        : costOf(work.port, usage, () => estimateInputTokens(messages), r.text);
    if (ticket) budget.commit(ticket, cost === null && isFreeModel(work.port) ? 0 : cost);
    else budget.record(cost);
    const outTokens = usage.outputTokens ?? estimateTokens(r.text);
    lane.observedOutputTokens = Math.max(lane.observedOutputTokens ?? 0, outTokens);
    if (cost !== null && !Number.isFinite(cost)) cost = null;
    const answer: StepAnswer = {
      text: r.text,
      toolCalls: r.toolCalls ?? [],
      usage,
      latencyMs: r.latencyMs,
      ...(r.finishReason !== undefined ? { finishReason: r.finishReason } : {}),
    };
    cacheEntries.push({
      key,
      value: {
        text: r.text,
        toolCalls: answer.toolCalls,
        usage: { ...usage },
        latencyMs: r.latencyMs,
        ...(r.finishReason !== undefined ? { finishReason: r.finishReason } : {}),
        ...(typeof r.cost === 'number' ? { cost: r.cost } : {}),
      },
    });
    return { kind: 'ok', answer, cost, callCost: cost, cached: false, attempts: outcome.attempts };
  };

  const processItem = async (work: ModelWork, item: WorkItem): Promise<void> => {
    const lane = work.lanes.get(item.prompt.name) as CallLane;
    let messages: ReturnType<typeof renderCase>;
    try {
      messages = renderCase(item.prompt, item.testCase, { file: suiteFile });
    } catch (e) {
      // Suites are validated when loaded, so this is rare; the case still gets its (error) result.
      await emit(errorRecord(item, 'client', e instanceof Error ? e.message : String(e), 0));
      return;
    }
    const cacheEntries: CacheEntry[] = [];
    const executor = executors.find((x) => x.handles(item));
    if (executor) {
      const result = await executor.run({
        item,
        messages,
        step: (request) => callStep(work, lane, item, request, cacheEntries),
        services,
        signal: stop.signal,
      });
      if (result.kind === 'stopped') return;
      if (result.kind === 'error') {
        const record = errorRecord(item, result.error.kind, result.error.message, result.attempts);
        record.cost = result.cost;
        if (result.trajectory) record.trajectory = result.trajectory;
        // Steps answered before the error stay cached: a resume replays them and pays only for the rest.
        await emit(record, cacheEntries);
        return;
      }
      await emit(
        await scored(item, messages, result.answer, {
          cost: result.cost,
          attempts: result.attempts,
          cached: result.cached,
          callCost: result.callCost,
          trajectory: result.trajectory,
          ...(result.stepChecks ? { stepChecks: result.stepChecks } : {}),
        }),
        cacheEntries,
      );
      return;
    }
    const outcome = await callStep(work, lane, item, { messages }, cacheEntries);
    if (outcome.kind === 'stopped') return;
    if (outcome.kind === 'error') {
      await emit(errorRecord(item, outcome.error.kind, outcome.error.message, outcome.attempts));
      return;
    }
    await emit(
      await scored(item, messages, outcome.answer, {
        cost: outcome.cost,
        attempts: outcome.attempts,
        cached: outcome.cached,
        ...(outcome.cached ? { callCost: outcome.callCost } : {}),
      }),
      cacheEntries,
    );
  };

  // In-process models (fake) and a synchronous store can answer in microtasks only: yield to the event
  // loop now and then so that signals, timers (progress, flushes) and I/O still get their turn.
  let lastYield = performance.now();
  const maybeYield = async (): Promise<void> => {
    const now = performance.now();
    if (now - lastYield < YIELD_EVERY_MS) return;
    lastYield = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const worker = async (work: ModelWork): Promise<void> => {
    while (!stop.signal.aborted) {
      await maybeYield();
      const next = work.items.next();
      if (next.done) return;
      const item = next.value;
      if (completed && completed.size > 0 && completed.has(resultKey(keyOf(item)))) continue;
      try {
        await processItem(work, item);
      } catch (error) {
        failRun(error);
        return;
      }
    }
  };

  const works: ModelWork[] = plan.models.map((model) => {
    const port = resolved.ports.get(model.id) as ModelPort;
    const throttle = throttleFor(model.id);
    return {
      port,
      lanes: new Map(plan.prompts.map((p) => [p.name, createCallLane(p, model, port)])),
      items: job ? itemsOf(job.items, model.id) : planItems(plan, model.id),
      gate: throttle.gate,
      throttle,
      concurrency: resolved.concurrency(model),
      timeoutMs: resolved.timeoutMs(model),
    };
  });

  if (budget.limited && completed && completed.size > 0) await seedObservedOutputs(store, runId, works);

  try {
    await Promise.all(works.flatMap((w) => Array.from({ length: w.concurrency }, () => worker(w))));
    await writer.close().catch(failRun);
  } finally {
    options.signal?.removeEventListener('abort', onUserAbort);
    options.force?.removeEventListener('abort', onForce);
    if (drainTimer) clearTimeout(drainTimer);
    if (progressTimer) clearTimeout(progressTimer);
    progressTimer = undefined;
  }

  if (fatal) {
    if (!job) await store.setRunStatus(runId, 'failed').catch(() => {});
    throw fatal.error;
  }

  const finished = alreadyDone + writer.written;
  let status: RunStatus;
  let incomplete: RunOutcome['incomplete'];
  if (job) status = writer.written >= job.items.length ? 'completed' : 'interrupted';
  else if (finished >= plan.size) status = 'completed';
  else if (overBudget && !interrupted) {
    status = 'over-budget';
    incomplete = 'over-budget';
  } else {
    // Stopped by the signal (or, defensively, anything else that left work undone): resumable.
    status = 'interrupted';
    incomplete = 'interrupted';
  }
  if (job && status !== 'completed') incomplete = 'interrupted';
  if (!job) await store.setRunStatus(runId, status);
  emitProgress();
  const run = await store.getRun(runId);
  if (!run) throw new Error(`run ${runId} vanished from the store`);
  const calls = [...callCounts].map(([lane, c]) => ({
    prompt: lane.prompt.name,
    promptVersion: lane.prompt.version,
    modelId: lane.model.id,
    ...c,
  }));
  const throttling = [...throttles.values()].flatMap((t) => t.report() ?? []);
  return {
    run,
    ...(incomplete ? { incomplete } : {}),
    retries,
    requests,
    calls,
    ...(throttling.length > 0 ? { throttling } : {}),
  };
}

/**
 * On resume, budget estimates start from the output lengths already seen (the first results stored),
 * rather than from the 256-token guess: the same estimates the run stopped with.
 */
async function seedObservedOutputs(
  store: RunOptions['store'],
  runId: string,
  works: ModelWork[],
): Promise<void> {
  const lanes = new Map<string, CallLane>();
  for (const w of works)
    for (const lane of w.lanes.values()) lanes.set(`${lane.prompt.version}\u0000${lane.model.id}`, lane);
  let seen = 0;
  for await (const r of store.iterateResults(runId)) {
    const out = r.usage.outputTokens ?? (r.output !== undefined ? estimateTokens(r.output) : undefined);
    const lane = lanes.get(`${r.promptVersion}\u0000${r.modelId}`);
    if (lane && out !== undefined && r.status !== 'error')
      lane.observedOutputTokens = Math.max(lane.observedOutputTokens ?? 0, out);
    if (++seen >= 1000) break;
  }
}

function* itemsOf(items: readonly WorkItem[], modelId: string): Generator<WorkItem, void, undefined> {
  for (const item of items) if (item.model.id === modelId) yield item;
}

function keyOf(item: WorkItem) {
  return {
    promptVersion: item.prompt.version,
    modelId: item.model.id,
    caseId: item.testCase.id,
    repeat: item.repeat,
  };
}

function fromCache(hit: CachedResponse): {
  text: string;
  toolCalls: ModelResponse['toolCalls'];
  usage: Usage;
  latencyMs: number;
  finishReason?: string;
} {
  const usage: Usage = {};
  if (typeof hit.usage?.inputTokens === 'number') usage.inputTokens = hit.usage.inputTokens;
  if (typeof hit.usage?.outputTokens === 'number') usage.outputTokens = hit.usage.outputTokens;
  if (typeof hit.usage?.totalTokens === 'number') usage.totalTokens = hit.usage.totalTokens;
  return {
    text: hit.text,
    toolCalls: (hit.toolCalls ?? []) as ModelResponse['toolCalls'],
    usage,
    latencyMs: hit.latencyMs,
    ...(typeof hit.finishReason === 'string' ? { finishReason: hit.finishReason } : {}),
  };
}

export type { DryRunEstimate };
