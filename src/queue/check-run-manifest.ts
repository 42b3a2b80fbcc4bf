import type { Project } from '../core/config/project.ts';
import type { RunRecord } from '../core/types.ts';
import type { ManifestOptions } from '../engine/build-manifest.ts';
import { planRun, type RunPlan } from '../engine/plan-run.ts';

/** The outcome of comparing a worker's project with a queued run's manifest. */
export type ManifestCheck = { ok: true; plan: RunPlan } | { ok: false; problems: string[] };

/**
 * Whether this project is the one the run was planned from: the same prompt versions, suite hash, model
 * settings, seed and plan size. A worker with another checkout would write results of a different
 * experiment under the run's id, so it must refuse instead.
 */
export function checkRunManifest(run: RunRecord, project: Project): ManifestCheck {
  const m = run.manifest;
  const problems: string[] = [];
  for (const p of m.prompts) {
    const now = project.prompts.find((x) => x.name === p.name);
    if (!now) problems.push(`prompt '${p.name}' (${p.file}) is not in this project`);
    else if (now.version !== p.version)
      problems.push(
        `prompt '${p.name}' differs: the run has version ${short(p.version)}, this project ${short(now.version)} (${now.file})`,
      );
  }
  const suite = project.suites.find((s) => s.name === m.suite.name);
  if (!suite) problems.push(`suite '${m.suite.name}' (${m.suite.file}) is not in this project`);
  else if (suite.hash !== m.suite.hash)
    problems.push(`suite '${m.suite.name}' differs from the run's (${suite.file})`);
  for (const model of m.models as { id: string; settings: object; model?: string }[]) {
    const now = project.models.find((x) => x.id === model.id);
    if (!now) problems.push(`model ${model.id} is not configured in this project`);
    else {
      if (canonical(now.settings ?? {}) !== canonical(model.settings ?? {}))
        problems.push(`model ${model.id} has other settings than the run's`);
      if (model.model !== undefined && now.model !== model.model)
        problems.push(
          `model ${model.id} names vendor model ${now.model ?? '(none)'}, the run ${model.model}`,
        );
    }
  }
  if (project.defaults.seed !== m.seed)
    problems.push(`the seed differs: the run has ${m.seed}, this project ${project.defaults.seed}`);
  if (problems.length > 0) return { ok: false, problems };
  let plan: RunPlan;
  try {
    plan = planRun(project, {
      prompts: m.prompts.map((p) => p.name),
      models: m.models.map((x) => x.id),
      suite: m.suite.name,
      filter: (m.options as ManifestOptions).filter,
      repeats: m.repeats,
    });
  } catch (e) {
    return { ok: false, problems: [`the run's selection does not plan here: ${(e as Error).message}`] };
  }
  if (plan.size !== run.planned)
    return {
      ok: false,
      problems: [`the run planned ${run.planned} results, this project plans ${plan.size} for its selection`],
    };
  return { ok: true, plan };
}

function short(version: string): string {
  return version.slice(0, 12);
}

/** JSON with object keys sorted, so equal settings compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}
