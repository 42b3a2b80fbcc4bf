import type { RunComparisonFamily } from '../app/compare-runs.ts';
import type { RunRecord } from '../core/types.ts';

/**
 * What `assay compare --json` prints for a family of comparisons: every field of the family (so a field
 * added to it shows here too), each run reduced to its summary.
 */
export function comparisonJson(family: RunComparisonFamily) {
  const { baselineRun, comparisons, ...rest } = family;
  return {
    schemaVersion: 1,
    baselineRun: comparisonRunSummary(baselineRun),
    ...rest,
    comparisons: comparisons.map(({ baselineRun: _b, candidateRun, ...c }) => ({
      ...c,
      candidateRun: comparisonRunSummary(candidateRun),
    })),
  };
}

export function comparisonRunSummary(r: RunRecord) {
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
