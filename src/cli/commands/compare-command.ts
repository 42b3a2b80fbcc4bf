import { compareRunFamily } from '../../app/compare-runs.ts';
import type { RunRecord } from '../../core/types.ts';
import { renderComparisonFamily } from '../../reporters/render-comparison.ts';

interface CompareFlags {
  cwd: string;
  config?: string;
  store?: string;
  metric: 'pass' | 'score';
  margin?: number;
  seed: number;
  alpha: number;
  prompt?: string;
  model?: string;
  json?: boolean;
}

/**
 * `assay compare BASE CAND…`: informs, never gates — exit 0 whatever the verdict (`assay gate` decides);
 * 2 for unknown runs, ambiguous groups or runs with no case in common (thrown as AssayError).
 */
export async function compareCommand(
  baseline: string,
  candidates: string[],
  flags: CompareFlags,
): Promise<number> {
  const family = await compareRunFamily({
    cwd: flags.cwd,
    config: flags.config,
    store: flags.store,
    baseline,
    candidates,
    metric: flags.metric,
    margin: flags.margin,
    seed: flags.seed,
    alpha: flags.alpha,
    prompt: flags.prompt,
    model: flags.model,
  });
  if (flags.json) {
    const json = {
      schemaVersion: 1,
      baselineRun: runSummary(family.baselineRun),
      family: family.family,
      adjustment: family.adjustment,
      warnings: family.warnings,
      judges: family.judges,
      comparisons: family.comparisons.map(({ baselineRun: _b, candidateRun, ...c }) => ({
        ...c,
        candidateRun: runSummary(candidateRun),
      })),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${renderComparisonFamily(family)}\n`);
  return 0;
}

function runSummary(r: RunRecord) {
  return {
    id: r.id,
    status: r.status,
    createdAt: r.createdAt,
    suite: r.manifest.suite,
    prompts: r.manifest.prompts.map((p) => ({ name: p.name, version: p.version, file: p.file })),
    models: r.manifest.models.map((m) => m.id),
    repeats: r.manifest.repeats,
    git: r.manifest.git,
  };
}
