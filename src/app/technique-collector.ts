import { type TechniqueTable, techniquePrompts, techniqueTables } from '../core/compare/technique-table.ts';
import type { GroupSummary } from '../core/stats/summarize-results.ts';
import type { ResultRecord, RunManifest } from '../core/types.ts';

/**
 * Keeps, while a run's results stream past, what the technique tables pair: the results of prompts that
 * have technique variants in this run, without their outputs, checks or trajectories (a few numbers each).
 */
export class TechniqueCollector {
  private readonly wanted: Set<string>;
  private readonly kept: ResultRecord[] = [];
  private readonly seed: number;

  constructor(manifest: RunManifest) {
    this.wanted = techniquePrompts(manifest.prompts.map((p) => p.name));
    this.seed = manifest.seed;
  }

  add(r: ResultRecord): void {
    if (!this.wanted.has(r.prompt)) return;
    this.kept.push({
      runId: r.runId,
      prompt: r.prompt,
      promptVersion: r.promptVersion,
      modelId: r.modelId,
      caseId: r.caseId,
      repeat: r.repeat,
      status: r.status,
      checks: [],
      ...(r.score !== undefined ? { score: r.score } : {}),
      ...(r.cluster !== undefined ? { cluster: r.cluster } : {}),
      usage: {},
      cost: r.cost,
      attempts: r.attempts,
      cached: r.cached,
      createdAt: '',
    });
  }

  /** One table per base prompt × model with variants (empty when the run has none). */
  finish(groups: readonly GroupSummary[]): TechniqueTable[] {
    if (this.wanted.size === 0) return [];
    return techniqueTables(groups, this.kept, { seed: this.seed });
  }
}
