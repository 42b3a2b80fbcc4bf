import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { ModelConfig } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { renderCase } from '../core/prompt/render-case.ts';
import type {
  CaseSpec,
  ChatMessage,
  ModelSettings,
  PromptSpec,
  ResultRecord,
  RunManifest,
  RunRecord,
} from '../core/types.ts';
import { Budget } from '../engine/budget.ts';
import { cacheKey } from '../engine/cache-key.ts';
import { DEFAULT_OUTPUT_TOKENS, estimateInputTokens } from '../engine/call-lane.ts';
import { createCheckServices } from '../engine/create-check-services.ts';
import { projectPriceTable } from '../engine/project-price-table.ts';
import { assertPricesKnown, isFreeModel } from '../engine/resolve-run.ts';
import { type JudgeSpec, parseJudgeFile } from '../judges/judge-file.ts';
import { buildPairwisePrompt, type JudgePrompt } from '../judges/judge-prompt.ts';
import {
  type JudgedPair,
  type OutputPair,
  type PairwiseRunsSummary,
  pairRunResults,
  samplePairs,
  summarizePairwiseRuns,
} from '../judges/pairwise-runs.ts';
import { type PairwiseWinner, parsePairwiseVerdict } from '../judges/parse-verdict.ts';
import type { ModelPort } from '../models/model-port.ts';
import { loadProject } from '../project/load-project.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { locateStore } from './locate-store.ts';
import { openRunModels } from './open-run-models.ts';
import { resolveRunRef } from './resolve-run-ref.ts';

/** Reasoning kept per order in the per-pair rows. */
const REASONING_CHARS = 300;

export interface PairwiseRunsOptions {
  /** Project folder (default: process.cwd()); the judge file is resolved against it. */
  cwd?: string;
  config?: string;
  /** Run store (SQLite file or URL) instead of the project's. */
  store?: string;
  /** The `*.judge.md` file, `kind: pairwise`. */
  judge: string;
  /** Run references as `assay compare` takes them: id, prefix, latest, latest~N, NAME@LABEL. */
  a: string;
  b: string;
  maxCost?: number;
  dryRun?: boolean;
  /** Judge at most this many pairs, drawn with `seed`. */
  limit?: number;
  seed?: number;
  /** Overrides the environment API keys are read from (tests). */
  env?: NodeJS.ProcessEnv;
}

export interface RunSide {
  id: string;
  status: string;
  createdAt: string;
  suite: string;
  prompts: { name: string; version: string }[];
  models: string[];
}

export interface PairVerdictRow {
  winner: PairwiseWinner;
  reasoning: string;
  cached: boolean;
}

export interface PairRow {
  caseId: string;
  modelId?: string;
  repeat: number;
  /** A shown first. */
  ab?: PairVerdictRow;
  /** B shown first; `winner` names the run (A or B), not the slot. */
  ba?: PairVerdictRow;
  winner?: PairwiseWinner;
  consistent?: boolean;
  error?: string;
  /** Not judged: the budget ran out first. */
  notJudged?: boolean;
}

export interface PairwiseRunsHeader {
  judge: { name: string; file: string; version: string; model: string };
  a: RunSide;
  b: RunSide;
  pairing: {
    /** Keys with an output on both sides. */
    paired: number;
    /** Pairs selected for judging (all, or `--limit` of them). */
    selected: number;
    byModel: boolean;
    erroredA: number;
    erroredB: number;
    onlyA: number;
    onlyB: number;
    limit?: number;
    seed: number;
  };
  warnings: string[];
}

export interface PairwiseRunsReport extends PairwiseRunsHeader {
  dryRun: false;
  summary: PairwiseRunsSummary;
  /** Selected pairs left unjudged because the budget ran out. */
  notJudged: number;
  calls: { made: number; cached: number; cost: number; costUnknown: boolean; maxCost?: number };
  /** Pairs the judge could not decide, with why. */
  errors: { caseId: string; modelId?: string; repeat: number; error: string }[];
  pairs: PairRow[];
}

export interface PairwiseRunsDryRun extends PairwiseRunsHeader {
  dryRun: true;
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when the judge model's price is unknown. */
  cost: number | null;
  /** Pairs whose prompt cannot be built (e.g. the judge uses `expected` and the case has none). */
  unbuildable: number;
  assumptions: string[];
}

function readJudge(cwd: string, file: string): JudgeSpec {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AssayError(`cannot read judge file ${file}; give the path of a *.judge.md file`, 2);
  }
  const judge = parseJudgeFile(text, relative(cwd, path) || file);
  if (judge.kind !== 'pairwise')
    throw new ConfigError(`judge '${judge.name}' is of kind '${judge.kind}', not 'pairwise'`, {
      file: judge.file,
      field: 'kind',
      expected: "'kind: pairwise' (a judge that picks the better of two outputs)",
      hint: 'a pointwise judge grades runs as a check in `assay eval`',
    });
  return judge;
}

function side(run: RunRecord): RunSide {
  return {
    id: run.id,
    status: run.status,
    createdAt: run.createdAt,
    suite: run.manifest.suite.name,
    prompts: run.manifest.prompts.map((p) => ({ name: p.name, version: p.version })),
    models: run.manifest.models.map((m) => m.id),
  };
}

async function readResults(store: Store, runId: string): Promise<ResultRecord[]> {
  const out: ResultRecord[] = [];
  for await (const r of store.iterateResults(runId)) out.push(r);
  return out;
}

/** The prompt a run evaluated, rebuilt from the canonical source its manifest recorded (for rendering). */
function manifestPrompt(p: RunManifest['prompts'][number]): PromptSpec | undefined {
  try {
    const c = JSON.parse(p.source) as {
      messages: ChatMessage[];
      settings?: ModelSettings;
      variables?: PromptSpec['variables'];
    };
    if (!Array.isArray(c.messages)) return undefined;
    return {
      name: p.name,
      file: p.file,
      version: p.version,
      canonical: p.source,
      settings: c.settings ?? {},
      variables: c.variables ?? {},
      messages: c.messages,
    };
  } catch {
    return undefined;
  }
}

function lastUser(messages: readonly ChatMessage[]): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i]?.role === 'user') return messages[i]?.content;
  return undefined;
}

/** The last user message a run's prompt sent for a case, when it can be rendered again. */
function requestOf(prompt: PromptSpec | undefined, testCase: CaseSpec | undefined): string | undefined {
  if (!prompt || !testCase) return undefined;
  try {
    return lastUser(renderCase(prompt, testCase));
  } catch {
    return undefined;
  }
}

interface PreparedPair {
  pair: OutputPair;
  /** Both orders' prompts, or why they cannot be built. */
  prompts?: { ab: JudgePrompt; ba: JudgePrompt };
  error?: string;
}

/**
 * `assay judge pairwise JUDGE A B`: pairs two stored runs' outputs (see `pairRunResults`) and has a
 * `kind: pairwise` judge compare each pair in both orders, through the engine's check services: the
 * project's model registry, the response cache and one budget. A reply that does not parse is an error
 * for its pair, never a win. `dryRun` estimates the calls (cache peeked) and makes none.
 */
export async function judgePairwiseRuns(
  opts: PairwiseRunsOptions,
): Promise<PairwiseRunsReport | PairwiseRunsDryRun> {
  const cwd = opts.cwd ?? process.cwd();
  const judge = readJudge(cwd, opts.judge);
  const seed = opts.seed ?? 0;
  const project = await loadProject({ cwd, configPath: opts.config });
  const judgeConfig = project.models.find((m) => m.id === judge.model);
  if (!judgeConfig)
    throw new ConfigError(`judge '${judge.name}' uses model ${judge.model}, which is not configured`, {
      file: judge.file,
      field: 'model',
      expected: `a model listed in models: in ${project.configFile}`,
      hint: `add '- id: ${judge.model}' to models:, or change 'model' in ${judge.file}`,
    });

  const store = await openStore({ path: await locateStore({ cwd, config: opts.config, store: opts.store }) });
  try {
    const runA = await resolveRunRef(store, opts.a, project.root);
    const runB = await resolveRunRef(store, opts.b, project.root);
    if (runA.id === runB.id)
      throw new AssayError(`A and B are the same run (${runA.id}): name two different runs`, 2);
    const pairing = pairRunResults(await readResults(store, runA.id), await readResults(store, runB.id), {
      a: `A (${runA.id})`,
      b: `B (${runB.id})`,
    });
    const selected = samplePairs(pairing.pairs, opts.limit, seed);

    const warnings: string[] = [];
    if (runA.manifest.suite.hash !== runB.manifest.suite.hash)
      warnings.push(
        `the runs used different contents of suite ${runA.manifest.suite.name} (or different suites): cases with the same id may differ`,
      );
    for (const [name, run] of [
      ['A', runA],
      ['B', runB],
    ] as const)
      if (run.status !== 'completed') warnings.push(`run ${name} (${run.id}) is ${run.status}`);
    if ([...side(runA).models, ...side(runB).models].includes(judge.model))
      warnings.push(
        `the judge model ${judge.model} also produced outputs it judges: judges tend to prefer their own outputs`,
      );

    // What the judge sees besides the outputs: the case from the project's suite, and the request when
    // both runs' prompts render the same last user message for it.
    const suite = project.suites.find((s) => s.name === runA.manifest.suite.name);
    const cases = new Map((suite?.cases ?? []).map((c) => [c.id, c]));
    const promptA = runA.manifest.prompts[0] ? manifestPrompt(runA.manifest.prompts[0]) : undefined;
    const promptB = runB.manifest.prompts[0] ? manifestPrompt(runB.manifest.prompts[0]) : undefined;
    let differentRequests = 0;
    const prepared: PreparedPair[] = selected.map((pair) => {
      const testCase = cases.get(pair.caseId);
      const reqA = requestOf(promptA, testCase);
      const reqB = requestOf(promptB, testCase);
      if (reqA !== reqB) differentRequests++;
      const request = reqA !== undefined && reqA === reqB ? reqA : undefined;
      const data = {
        ...(request !== undefined ? { request } : {}),
        ...(testCase?.expected !== undefined ? { expected: testCase.expected } : {}),
        ...(testCase?.context !== undefined ? { context: testCase.context } : {}),
      };
      try {
        if (!testCase && judge.uses.length > 0)
          throw new Error(
            `case '${pair.caseId}' is not in suite ${runA.manifest.suite.name} of the project, and the judge uses its ${judge.uses.join(' and ')}`,
          );
        return {
          pair,
          prompts: {
            ab: buildPairwisePrompt(judge, { ...data, outputA: pair.outputA, outputB: pair.outputB }),
            ba: buildPairwisePrompt(judge, { ...data, outputA: pair.outputB, outputB: pair.outputA }),
          },
        };
      } catch (e) {
        return { pair, error: (e as Error).message };
      }
    });
    if (!suite)
      warnings.push(
        `suite ${runA.manifest.suite.name} is not in the project: the judge is shown the outputs without the request`,
      );
    else if (differentRequests > 0)
      warnings.push(
        `for ${differentRequests} pair(s) the two runs' prompts do not render the same request (or it cannot be rendered): the judge is shown the outputs without it`,
      );

    const header: PairwiseRunsHeader = {
      judge: { name: judge.name, file: judge.file, version: judge.version, model: judge.model },
      a: side(runA),
      b: side(runB),
      pairing: {
        paired: pairing.pairs.length,
        selected: selected.length,
        byModel: pairing.byModel,
        erroredA: pairing.erroredA,
        erroredB: pairing.erroredB,
        onlyA: pairing.onlyA,
        onlyB: pairing.onlyB,
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
        seed,
      },
      warnings,
    };

    const registry = openRunModels([judgeConfig], { root: project.root, cwd, env: opts.env ?? process.env });
    const port = registry.resolve(judge.model);
    const priceTable = projectPriceTable(project);
    if (opts.dryRun)
      return await estimate(header, prepared, { judge, judgeConfig, port, store, priceTable, opts });
    if (opts.maxCost !== undefined) assertPricesKnown([port], priceTable);

    const budget = new Budget({ cap: opts.maxCost });
    const services = createCheckServices({
      models: project.models,
      resolveModel: (id) => registry.resolve(id),
      store,
      cacheRead: true,
      budget,
      priceTable,
    });
    let made = 0;
    let cached = 0;
    let overBudget = false;
    const ask = async (prompt: JudgePrompt): Promise<PairVerdictRow> => {
      const reply = await services.generate(judge.model, {
        messages: prompt.messages,
        settings: judge.settings,
      });
      if (reply.cached) cached++;
      else made++;
      const v = parsePairwiseVerdict(reply.text);
      return { winner: v.winner, reasoning: truncate(v.reasoning), cached: reply.cached };
    };
    const rows: PairRow[] = prepared.map((p) => ({
      caseId: p.pair.caseId,
      ...(p.pair.modelId !== undefined ? { modelId: p.pair.modelId } : {}),
      repeat: p.pair.repeat,
    }));
    const judgeOne = async (i: number): Promise<void> => {
      const p = prepared[i] as PreparedPair;
      const row = rows[i] as PairRow;
      if (!p.prompts) {
        row.error = p.error ?? 'the judge prompt could not be built';
        return;
      }
      if (overBudget) {
        row.notJudged = true;
        return;
      }
      try {
        row.ab = await ask(p.prompts.ab);
        const ba = await ask(p.prompts.ba);
        // Reported in terms of the runs: with B shown first, "A" (the first slot) is run B.
        row.ba = { ...ba, winner: ba.winner === 'A' ? 'B' : ba.winner === 'B' ? 'A' : 'tie' };
      } catch (e) {
        const message = (e as Error).message;
        if (/^over budget/.test(message)) {
          overBudget = true;
          delete row.ab;
          row.notJudged = true;
          return;
        }
        row.error = `judge '${judge.name}': ${message}`;
      }
    };
    const concurrency = Math.max(1, judgeConfig.concurrency ?? project.defaults.concurrency);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, prepared.length) }, async () => {
        while (next < prepared.length) await judgeOne(next++);
      }),
    );

    const judged: JudgedPair[] = [];
    for (const row of rows) {
      if (row.notJudged) continue;
      const key = {
        caseId: row.caseId,
        ...(row.modelId !== undefined ? { modelId: row.modelId } : {}),
        repeat: row.repeat,
      };
      if (row.error !== undefined || !row.ab || !row.ba)
        judged.push({ ...key, error: row.error ?? 'not judged' });
      else {
        // resolvePairwise takes the B-first verdict in slot terms.
        const baSlot: PairwiseWinner = row.ba.winner === 'A' ? 'B' : row.ba.winner === 'B' ? 'A' : 'tie';
        judged.push({ ...key, ab: row.ab.winner, ba: baSlot });
        const consistent = row.ab.winner === row.ba.winner;
        row.consistent = consistent;
        row.winner = consistent ? row.ab.winner : 'tie';
      }
    }
    const summary = summarizePairwiseRuns(judged);
    return {
      ...header,
      dryRun: false,
      summary,
      notJudged: rows.filter((r) => r.notJudged).length,
      calls: {
        made,
        cached,
        cost: budget.spent,
        costUnknown: budget.costUnknown,
        ...(opts.maxCost !== undefined ? { maxCost: opts.maxCost } : {}),
      },
      errors: rows
        .filter((r) => r.error !== undefined)
        .map((r) => ({
          caseId: r.caseId,
          ...(r.modelId !== undefined ? { modelId: r.modelId } : {}),
          repeat: r.repeat,
          error: r.error as string,
        })),
      pairs: rows,
    };
  } finally {
    await store.close();
  }
}

function truncate(text: string): string {
  return text.length > REASONING_CHARS ? `${text.slice(0, REASONING_CHARS - 1)}…` : text;
}

/** `--dry-run`: the calls the judging would make, the cache peeked as the check services key it. */
async function estimate(
  header: PairwiseRunsHeader,
  prepared: PreparedPair[],
  ctx: {
    judge: JudgeSpec;
    judgeConfig: ModelConfig;
    port: ModelPort;
    store: Store;
    priceTable: ReturnType<typeof projectPriceTable>;
    opts: PairwiseRunsOptions;
  },
): Promise<PairwiseRunsDryRun> {
  const { judge, judgeConfig, port, store, priceTable } = ctx;
  // Same key parts as createCheckServices: configured settings under the judge's, repeat 0.
  const settings: ModelSettings = { ...(judgeConfig.settings ?? {}), ...judge.settings };
  const maxTokens =
    typeof settings.maxTokens === 'number' && settings.maxTokens > 0 ? settings.maxTokens : undefined;
  let calls = 0;
  let cachedCalls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let unbuildable = 0;
  for (const p of prepared) {
    if (!p.prompts) {
      unbuildable++;
      continue;
    }
    for (const prompt of [p.prompts.ab, p.prompts.ba]) {
      calls++;
      const key = cacheKey({
        modelId: judge.model,
        modelName: port.modelName,
        ...(judgeConfig.baseUrl !== undefined ? { baseUrl: judgeConfig.baseUrl } : {}),
        settings,
        ...(port.cacheIdentity !== undefined ? { identity: port.cacheIdentity } : {}),
        messages: prompt.messages,
        repeat: 0,
      });
      if (await store.getCached(key)) {
        cachedCalls++;
        continue;
      }
      inputTokens += estimateInputTokens(prompt.messages);
      outputTokens += maxTokens ?? DEFAULT_OUTPUT_TOKENS;
    }
  }
  const free = isFreeModel(port);
  const priced =
    inputTokens + outputTokens === 0 ? 0 : priceTable.priceOf(port, { inputTokens, outputTokens });
  const cost = priced ?? (free ? 0 : null);
  const assumptions = [
    'input tokens ≈ characters / 4 + 4 per message (not a tokenizer)',
    'two calls per pair: A first, then B first',
  ];
  if (maxTokens === undefined)
    assumptions.push(`${DEFAULT_OUTPUT_TOKENS} output tokens per call (the judge sets no maxTokens)`);
  if (cachedCalls > 0)
    assumptions.push(`${cachedCalls} of the ${calls} calls are answered from the cache: no tokens, no cost`);
  if (cost === null)
    assumptions.push(
      `the price of ${judge.model} is unknown: add it to a prices file (prices: in assay.yaml)`,
    );
  else if (ctx.opts.maxCost !== undefined && cost > ctx.opts.maxCost)
    assumptions.push(
      `the estimate is above --max-cost $${ctx.opts.maxCost}: judging would stop when it is spent`,
    );
  return {
    ...header,
    dryRun: true,
    calls,
    cachedCalls,
    inputTokens,
    outputTokens,
    cost,
    unbuildable,
    assumptions,
  };
}
