import { wilsonInterval } from '../core/stats/wilson.ts';
import type { Store } from '../store/store.ts';

/**
 * How one prompt version did on one suite × model, in the newest stored run that evaluated it (older runs
 * of the same cases are listed in `runs` but not pooled: the same cases twice are not twice the evidence).
 */
export interface VersionResult {
  suite: string;
  model: string;
  /** Results that were answered (errors left out). */
  n: number;
  passed: number;
  errors: number;
  passRate: number;
  /** 95% Wilson interval of the pass rate. */
  lower: number;
  upper: number;
  runs: string[];
  /** When the newest of those runs was created. */
  lastRunAt: string;
}

/** Summarises, per suite × model, the stored results of `name@version` in its newest run. */
export async function versionResults(store: Store, name: string, version: string): Promise<VersionResult[]> {
  const groups = new Map<string, VersionResult>();
  for (const run of await store.listRuns()) {
    if (!run.manifest.prompts.some((p) => p.name === name && p.version === version)) continue;
    for await (const r of store.iterateResults(run.id)) {
      if (r.prompt !== name || r.promptVersion !== version) continue;
      const key = `${run.manifest.suite.name}\u0000${r.modelId}`;
      let g = groups.get(key);
      if (!g) {
        g = {
          suite: run.manifest.suite.name,
          model: r.modelId,
          n: 0,
          passed: 0,
          errors: 0,
          passRate: Number.NaN,
          lower: 0,
          upper: 0,
          runs: [],
          lastRunAt: run.createdAt,
        };
        groups.set(key, g);
      }
      if (!g.runs.includes(run.id)) g.runs.push(run.id);
      if (g.runs[0] !== run.id) continue; // listRuns is newest first: only the newest run counts
      if (r.status === 'error') g.errors++;
      else {
        g.n++;
        if (r.status === 'pass') g.passed++;
      }
    }
  }
  for (const g of groups.values()) {
    const w = wilsonInterval(g.passed, g.n);
    g.passRate = w.estimate;
    g.lower = w.lower;
    g.upper = w.upper;
  }
  return [...groups.values()].sort(
    (a, b) => a.suite.localeCompare(b.suite) || a.model.localeCompare(b.model),
  );
}
