import type { ModelConfig } from '../core/config/project.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import type { RunRecord } from '../core/types.ts';
import type { ModelPort } from '../models/model-port.ts';
import type { PriceTable } from '../models/price-table.ts';
import type { ManifestOptions } from './build-manifest.ts';
import { type PlanSelection, planRun, type RunPlan } from './plan-run.ts';
import type { RunOptions } from './run-options.ts';

/** Providers whose calls cost no money: under `--max-cost` they count as free instead of refusing to start. */
// Free unless priced: in-process models, and targets (http:/file:) whose `price` or a prices file sets their cost.
const FREE_PROVIDERS = new Set(['fake', 'local', 'http', 'file']);

/**
 * Providers that serve one call at a time (a local model runs in this process, its calls queued): more
 * calls in flight would only wait in its queue while their timeouts run.
 */
const SERIAL_PROVIDERS = new Set(['local']);

/** The plan of a run and the settings it runs with, for a new run or a resumed one. Reads, never writes. */
export interface ResolvedRun {
  plan: RunPlan;
  /** The run being resumed. */
  resumed?: RunRecord;
  /** Keys of results already stored (resume). */
  completed?: Set<string>;
  ports: Map<string, ModelPort>;
  maxRetries: number;
  maxCost?: number;
  cache: boolean;
  seed: number;
  filter?: PlanSelection['filter'];
  /** Per model: calls in flight at most. */
  concurrency: (model: ModelConfig) => number;
  /** Per model: ms per attempt. */
  timeoutMs: (model: ModelConfig) => number;
}

function positiveInt(value: number | undefined, field: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min)
    throw new ConfigError(`${field} must be a whole number ≥ ${min}, got ${value}`, { field });
  return value;
}

export async function resolveRun(options: RunOptions): Promise<ResolvedRun> {
  const { project, store } = options;
  let plan: RunPlan;
  let resumed: RunRecord | undefined;
  let completed: Set<string> | undefined;
  let recorded: ManifestOptions | undefined;
  let filter = options.filter;

  if (options.resume !== undefined) {
    resumed = (await store.getRun(options.resume)) ?? (await store.findRun(options.resume));
    if (!resumed) throw new AssayError(`no run '${options.resume}' in the store; see \`assay runs list\``, 2);
    // A completed run can still be resumed to retry its errored calls; one with none has nothing to do.
    if (
      resumed.status === 'completed' &&
      (await store.completedKeys(resumed.id, { exceptErrors: true })).size >= resumed.planned
    )
      throw new AssayError(`run ${resumed.id} is already complete with no errors; nothing to resume`, 2);
    const m = resumed.manifest;
    recorded = m.options as ManifestOptions;
    filter = recorded.filter;
    assertUnchanged(resumed, options);
    plan = planRun(project, {
      prompts: m.prompts.map((p) => p.name),
      models: m.models.map((x) => x.id),
      suite: m.suite.name,
      filter,
      repeats: m.repeats,
    });
    if (plan.size !== resumed.planned)
      throw new AssayError(
        `cannot resume run ${resumed.id}: it planned ${resumed.planned} results, the project now gives ${plan.size} for the same selection; start a new run with \`assay eval\``,
        2,
      );
    // Errored results are tried again on resume (they replace the stored error); everything else is kept.
    completed = await store.completedKeys(resumed.id, { exceptErrors: true });
  } else {
    plan = planRun(project, options);
  }

  const ports = new Map<string, ModelPort>();
  for (const m of plan.models) ports.set(m.id, options.resolveModel(m.id));

  const maxCost = options.maxCost ?? recorded?.maxCost;
  if (maxCost !== undefined && !(Number.isFinite(maxCost) && maxCost >= 0))
    throw new ConfigError(`max cost must be a number of USD ≥ 0, got ${maxCost}`, { field: 'maxCost' });
  const concurrency = positiveInt(options.concurrency, 'concurrency', 1);
  const timeoutMs = positiveInt(options.timeoutMs, 'timeoutMs', 1);
  const maxRetries =
    positiveInt(options.maxRetries, 'maxRetries', 0) ?? recorded?.maxRetries ?? project.defaults.maxRetries;

  return {
    plan,
    resumed,
    completed,
    ports,
    maxRetries,
    maxCost,
    cache: options.cache ?? recorded?.cache ?? true,
    seed: resumed?.manifest.seed ?? project.defaults.seed,
    filter,
    concurrency: (m) =>
      SERIAL_PROVIDERS.has(m.id.slice(0, m.id.indexOf(':')))
        ? 1
        : (concurrency ?? m.concurrency ?? project.defaults.concurrency),
    timeoutMs: (m) => timeoutMs ?? m.timeoutMs ?? project.defaults.timeoutMs,
  };
}

/** A resume must run the same prompt versions on the same suite, or the run would mix two experiments. */
function assertUnchanged(run: RunRecord, options: RunOptions): void {
  const { project } = options;
  const problems: string[] = [];
  for (const p of run.manifest.prompts) {
    const now = project.prompts.find((x) => x.name === p.name);
    if (!now) problems.push(`prompt '${p.name}' (${p.file}) is gone`);
    else if (now.version !== p.version)
      problems.push(
        `prompt '${p.name}' changed: version ${short(p.version)} then, ${short(now.version)} now (${now.file})`,
      );
  }
  const s = run.manifest.suite;
  const suite = project.suites.find((x) => x.name === s.name);
  if (!suite) problems.push(`suite '${s.name}' (${s.file}) is gone`);
  else if (suite.hash !== s.hash) problems.push(`suite '${s.name}' changed (${suite.file})`);
  if (problems.length > 0)
    throw new AssayError(
      `cannot resume run ${run.id}: the project changed since the run was made:\n  - ${problems.join('\n  - ')}\nrestore those files to resume it, or start a new run with \`assay eval\``,
      2,
    );
}

function short(version: string): string {
  return version.slice(0, 12);
}

/** Whether a model counts as free under a budget (no USD is spent on it). */
export function isFreeModel(port: ModelPort): boolean {
  return FREE_PROVIDERS.has(port.provider);
}

/**
 * Under a cap every model needs a price, or the cap could not be enforced: refuse to start (exit 2) and
 * say how to add one. Free providers (fake, local) are exempt.
 */
export function assertPricesKnown(ports: Iterable<ModelPort>, priceTable: PriceTable): void {
  const unknown = [...ports]
    .filter((p) => !isFreeModel(p) && priceTable.describe(p) === null)
    .map((p) => p.id);
  if (unknown.length === 0) return;
  const example = unknown.map((id) => `"${id}": { input: 0.15, output: 0.6 }`).join('\n  ');
  throw new AssayError(
    `cannot enforce --max-cost: the price of ${unknown.join(', ')} is unknown.\nadd it to a prices file (prices: in assay.yaml), in USD per million tokens, e.g.\n  ${example}`,
    2,
  );
}
