import type { RunPlan, WorkItem } from '../engine/plan-run.ts';
import { planItems } from '../engine/plan-run.ts';
import { resultKey } from '../store/store.ts';

/** One planned result of a run, by name: [prompt name, model id, case id, repeat]. */
export type JobItem = [prompt: string, model: string, caseId: string, repeat: number];

/**
 * A queued job: some items of one run. Only names travel through the queue — never prompts, cases or
 * credentials: a worker rebuilds each item from its own checkout of the project.
 */
export interface EvalJob {
  runId: string;
  items: JobItem[];
  /** A resumed run's job: errored results are tried again instead of kept. */
  retryErrors?: boolean;
}

/** Items per job by default: enough to amortise a job's overhead, few enough to spread over workers. */
export const defaultJobSize = 25;

/**
 * The plan's items in jobs of `size` (in plan order: model-major, case-major), leaving out the items
 * whose result key is in `skip` (a resume). Lazy, so a 100,000-item run never holds its jobs at once.
 */
export function* jobBatches(
  plan: RunPlan,
  runId: string,
  options: { size?: number; skip?: ReadonlySet<string>; retryErrors?: boolean } = {},
): Generator<EvalJob, void, undefined> {
  const size = options.size ?? defaultJobSize;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`job size must be a whole number ≥ 1`);
  let items: JobItem[] = [];
  const job = (): EvalJob => ({ runId, items, ...(options.retryErrors ? { retryErrors: true } : {}) });
  for (const item of planItems(plan)) {
    if (options.skip?.has(resultKey(keyOfItem(item)))) continue;
    items.push([item.prompt.name, item.model.id, item.testCase.id, item.repeat]);
    if (items.length >= size) {
      yield job();
      items = [];
    }
  }
  if (items.length > 0) yield job();
}

/** The result key of a work item (as `Store.completedKeys` returns them). */
export function keyOfItem(item: WorkItem): {
  promptVersion: string;
  modelId: string;
  caseId: string;
  repeat: number;
} {
  return {
    promptVersion: item.prompt.version,
    modelId: item.model.id,
    caseId: item.testCase.id,
    repeat: item.repeat,
  };
}

/**
 * The job's items as work items of `plan` (the worker's own plan of the run). An item the plan does not
 * have means the worker's project is not the run's: named in the returned problems.
 */
export function resolveJobItems(plan: RunPlan, job: EvalJob): { items: WorkItem[]; problems: string[] } {
  const prompts = new Map(plan.prompts.map((p) => [p.name, p]));
  const models = new Map(plan.models.map((m) => [m.id, m]));
  const cases = new Map(plan.cases.map((c) => [c.id, c]));
  const items: WorkItem[] = [];
  const problems: string[] = [];
  for (const entry of job.items) {
    const [promptName, modelId, caseId, repeat] = entry;
    const prompt = prompts.get(promptName);
    const model = models.get(modelId);
    const testCase = cases.get(caseId);
    if (!prompt || !model || !testCase || !Number.isInteger(repeat) || repeat < 0 || repeat >= plan.repeats) {
      problems.push(
        `the job's item (prompt ${promptName}, model ${modelId}, case ${caseId}, repeat ${repeat}) is not in this project's plan of the run`,
      );
      continue;
    }
    items.push({ prompt, model, testCase, repeat });
  }
  return { items, problems };
}

/** Whether a queue payload has the shape of an EvalJob (a foreign job on the queue is refused, not run). */
export function isEvalJob(data: unknown): data is EvalJob {
  if (data === null || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return (
    typeof d.runId === 'string' &&
    Array.isArray(d.items) &&
    d.items.every(
      (i) =>
        Array.isArray(i) &&
        i.length === 4 &&
        typeof i[0] === 'string' &&
        typeof i[1] === 'string' &&
        typeof i[2] === 'string' &&
        typeof i[3] === 'number',
    )
  );
}
