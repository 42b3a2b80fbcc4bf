import { resolve } from 'node:path';
import { openRunModels } from '../app/open-run-models.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { caseSchema } from '../core/suite/case-schema.ts';
import {
  buildDraftRequest,
  parseDrafts,
  type ScreenedDraft,
  screenDrafts,
} from '../core/suite/draft-cases.ts';
import { editSuiteText } from '../core/suite/edit-suite-text.ts';
import { parseSuite } from '../core/suite/parse-suite.ts';
import type { CaseSpec, ModelSettings, PromptSpec } from '../core/types.ts';
import { Budget } from '../engine/budget.ts';
import { cacheKey } from '../engine/cache-key.ts';
import { DEFAULT_OUTPUT_TOKENS, estimateInputTokens } from '../engine/call-lane.ts';
import { createCheckServices } from '../engine/create-check-services.ts';
import { projectPriceTable } from '../engine/project-price-table.ts';
import { assertPricesKnown, isFreeModel } from '../engine/resolve-run.ts';
import { readTextFile } from '../project/read-text-file.ts';
import { openStore } from '../store/open-store.ts';
import { readSuiteFile, resolveSuiteFile } from './resolve-suite-file.ts';
import { writeSuiteFile } from './write-suite-file.ts';

/** Most cases one call may ask for: a longer reply is more likely cut off by the model's token limit. */
export const MAX_COUNT = 50;
/** Seed examples shown to the model. */
const MAX_EXAMPLES = 8;

export interface GenerateOptions {
  /** A suite file of the project, or a suite's name. */
  suite: string;
  category: string;
  count: number;
  /** A configured model id. */
  model: string;
  description?: string;
  /** A suite file whose cases are the seed examples (default: the suite's cases of the category). */
  from?: string;
  /** The prompt the cases are drafted for (default: the suite's first). */
  prompt?: string;
  similarity?: number;
  maxCost?: number;
  dryRun?: boolean;
  /** Read the answer from the response cache (default true). */
  cache?: boolean;
  cwd?: string;
  config?: string;
  store?: string;
  env?: NodeJS.ProcessEnv;
}

interface GenerateHeader {
  schemaVersion: 1;
  suite: string;
  file: string;
  prompt: string;
  model: string;
  category: string;
  count: number;
  examples: number;
}

export interface GenerateDryRun extends GenerateHeader {
  dryRun: true;
  calls: 1;
  cached: boolean;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when the price is unknown. */
  cost: number | null;
  assumptions: string[];
}

export interface GenerateReport extends GenerateHeader {
  dryRun: false;
  /** Drafts in the reply, screened. */
  drafts: ScreenedDraft[];
  /** Ids appended to the suite, marked `review: unreviewed`. */
  added: string[];
  /** Parts of the reply that were not drafts. */
  problems: string[];
  call: { cached: boolean; cost: number | null; costUnknown: boolean; maxCost?: number };
  written: boolean;
}

/**
 * `assay generate`: a configured model drafts `count` cases of a category for the suite's prompt, through
 * the engine's check services (the project's registry, the response cache, one budget). Drafts are
 * screened (screenDrafts: valid variables, no exact or near-duplicate of the suite or of each other) and
 * the kept ones appended to the suite file, atomically, as `review: unreviewed` cases tagged `generated`.
 */
export async function generateCases(o: GenerateOptions): Promise<GenerateReport | GenerateDryRun> {
  const cwd = o.cwd ?? process.cwd();
  if (!(Number.isInteger(o.count) && o.count >= 1 && o.count <= MAX_COUNT))
    throw new AssayError(`--count must be a whole number from 1 to ${MAX_COUNT} (got ${o.count})`, 2);
  const category = caseSchema.shape.category.safeParse(o.category);
  if (!category.success) {
    const issue = category.error.issues[0] as {
      message?: string;
      params?: { expected?: string; hint?: string };
    };
    throw new AssayError(
      `--category: ${issue?.message ?? 'invalid category'}; expected ${issue?.params?.expected ?? 'a category'}${issue?.params?.hint ? `. ${issue.params.hint}` : ''}`,
      2,
    );
  }
  if (o.similarity !== undefined && !(o.similarity > 0 && o.similarity <= 1))
    throw new AssayError(`--similarity must be in (0, 1] (got ${o.similarity})`, 2);

  const ref = await resolveSuiteFile(o.suite, { cwd, config: o.config, withProject: true });
  const project = ref.project as NonNullable<typeof ref.project>;
  const projectSuite = ref.projectSuite as NonNullable<typeof ref.projectSuite>;
  const suitePrompts = (
    projectSuite.prompts
      ? project.prompts.filter((p) => projectSuite.prompts?.includes(p.name))
      : project.prompts
  ).filter((p) => !p.variantOf);
  if (suitePrompts.length === 0)
    throw new AssayError(`suite ${projectSuite.name} has no prompt to draft cases for`, 2);
  let prompt: PromptSpec = suitePrompts[0] as PromptSpec;
  if (o.prompt !== undefined) {
    const found = suitePrompts.find((p) => p.name === o.prompt);
    if (!found)
      throw new AssayError(
        `--prompt: suite ${projectSuite.name} is run with ${suitePrompts.map((p) => p.name).join(', ')}, not '${o.prompt}'`,
        2,
      );
    prompt = found;
  }
  const modelConfig = project.models.find((m) => m.id === o.model);
  if (!modelConfig)
    throw new ConfigError(`model ${o.model} is not configured`, {
      file: project.configFile,
      field: 'models',
      expected: `one of: ${project.models.map((m) => m.id).join(', ') || '(none)'}`,
      hint: `add '- id: ${o.model}' to models:`,
    });

  const { text, parsed } = await readSuiteFile(ref);
  const existing = parsed.suite.cases;
  const examples = await seedExamples(o, cwd, existing, o.category);
  const messages = buildDraftRequest({
    prompt,
    category: o.category,
    count: o.count,
    ...(o.description !== undefined ? { description: o.description } : {}),
    examples,
  });
  const header: GenerateHeader = {
    schemaVersion: 1,
    suite: parsed.suite.name,
    file: ref.shown,
    prompt: prompt.name,
    model: o.model,
    category: o.category,
    count: o.count,
    examples: examples.length,
  };

  const registry = openRunModels([modelConfig], { root: project.root, cwd, env: o.env ?? process.env });
  const port = registry.resolve(o.model);
  const priceTable = projectPriceTable(project);
  const store = await openStore({ path: o.store ? resolve(cwd, o.store) : project.storePath });
  try {
    if (o.dryRun) {
      const settings: ModelSettings = { ...(modelConfig.settings ?? {}) };
      const key = cacheKey({
        modelId: o.model,
        modelName: port.modelName,
        ...(modelConfig.baseUrl !== undefined ? { baseUrl: modelConfig.baseUrl } : {}),
        settings,
        ...(port.cacheIdentity !== undefined ? { identity: port.cacheIdentity } : {}),
        messages,
        repeat: 0,
      });
      const cached = o.cache !== false && Boolean(await store.getCached(key));
      const maxTokens =
        typeof settings.maxTokens === 'number' && settings.maxTokens > 0 ? settings.maxTokens : undefined;
      const inputTokens = cached ? 0 : estimateInputTokens(messages);
      const outputTokens = cached ? 0 : (maxTokens ?? DEFAULT_OUTPUT_TOKENS);
      const priced = cached ? 0 : priceTable.priceOf(port, { inputTokens, outputTokens });
      const cost = priced ?? (isFreeModel(port) ? 0 : null);
      const assumptions = ['input tokens ≈ characters / 4 + 4 per message (not a tokenizer)'];
      if (cached)
        assumptions.push('the answer is in the cache: no call, no cost (--no-cache to draft afresh)');
      else if (maxTokens === undefined)
        assumptions.push(`${DEFAULT_OUTPUT_TOKENS} output tokens (the model sets no maxTokens)`);
      if (cost === null) assumptions.push(`the price of ${o.model} is unknown: add it to a prices file`);
      return { ...header, dryRun: true, calls: 1, cached, inputTokens, outputTokens, cost, assumptions };
    }
    if (o.maxCost !== undefined) assertPricesKnown([port], priceTable);
    const budget = new Budget({ cap: o.maxCost });
    const services = createCheckServices({
      models: project.models,
      resolveModel: (id) => registry.resolve(id),
      store,
      cacheRead: o.cache !== false,
      budget,
      priceTable,
    });
    let reply: Awaited<ReturnType<typeof services.generate>>;
    try {
      reply = await services.generate(o.model, { messages, settings: {} });
    } catch (e) {
      const message = (e as Error).message;
      if (/^over budget/.test(message))
        throw new AssayError(
          `--max-cost $${o.maxCost} does not cover the drafting call; nothing was sent`,
          3,
        );
      throw new AssayError(`the drafting call to ${o.model} failed: ${message}`, 3);
    }
    const { drafts: all, problems } = parseDrafts(reply.text);
    if (all.length === 0)
      throw new AssayError(
        `${o.model} drafted no usable case (${problems.join('; ')}); its reply began: ${JSON.stringify(reply.text.slice(0, 200))}. A reply cut short by the model's maxTokens cannot be read: raise maxTokens or lower --count`,
        3,
      );
    const drafts = all.slice(0, o.count);
    if (all.length > o.count)
      problems.push(`the reply held ${all.length} drafts; only the first ${o.count} (--count) were screened`);
    const screened = screenDrafts({
      drafts,
      prompts: suitePrompts,
      existing,
      category: o.category,
      model: o.model,
      ...(o.similarity !== undefined ? { similarity: o.similarity } : {}),
    });
    const kept = screened.flatMap((s) => (s.case ? [s.case] : []));
    let written = false;
    if (kept.length > 0) {
      writeSuiteFile(ref.abs, ref.shown, editSuiteText(text, ref.shown, [], kept));
      written = true;
    }
    return {
      ...header,
      dryRun: false,
      drafts: screened,
      added: kept.map((c) => c.id as string),
      problems,
      call: {
        cached: reply.cached,
        cost: reply.cost,
        costUnknown: budget.costUnknown,
        ...(o.maxCost !== undefined ? { maxCost: o.maxCost } : {}),
      },
      written,
    };
  } finally {
    await store.close();
  }
}

/** `--from FILE`'s cases, else the suite's reviewed cases of the category, else any of its cases. */
async function seedExamples(
  o: GenerateOptions,
  cwd: string,
  existing: readonly CaseSpec[],
  category: string,
): Promise<CaseSpec[]> {
  if (o.from !== undefined) {
    const abs = resolve(cwd, o.from);
    const text = await readTextFile(abs, o.from, {}, 'examples file');
    const cases = parseSuite(text, o.from).suite.cases;
    if (cases.length === 0) throw new AssayError(`--from ${o.from} has no cases`, 2);
    return cases.slice(0, MAX_EXAMPLES);
  }
  const reviewed = existing.filter((c) => c.review !== 'unreviewed');
  const same = reviewed.filter((c) => c.category === category);
  return (same.length > 0 ? same : reviewed).slice(0, MAX_EXAMPLES);
}
