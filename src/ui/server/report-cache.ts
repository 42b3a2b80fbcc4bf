import { buildEvalReport } from '../../app/build-eval-report.ts';
import type { RunRecord } from '../../core/types.ts';
import type { EvalReport } from '../../reporters/eval-report.ts';
import type { Store } from '../../store/store.ts';
import { LruCache } from './lru-cache.ts';
import { runStamp } from './ui-context.ts';

/**
 * The eval report of each run (what `assay runs show --json` computes), kept while the run is unchanged:
 * the runs list needs one per run and a finished run's numbers never move.
 */
export class ReportCache {
  private readonly cache: LruCache<string, { stamp: string; report: Promise<EvalReport> }>;

  private readonly store: Store;

  constructor(store: Store, capacity = 500) {
    this.store = store;
    this.cache = new LruCache(capacity);
  }

  async get(run: RunRecord): Promise<EvalReport> {
    const stamp = await runStamp(this.store, run);
    const hit = this.cache.get(run.id);
    if (hit && hit.stamp === stamp) return hit.report;
    // maxErrorRate 1: the UI shows the numbers; it does not judge the run's completeness as a gate would.
    const report = buildEvalReport({ store: this.store, run, maxErrorRate: 1 });
    this.cache.set(run.id, { stamp, report });
    report.catch(() => this.cache.delete(run.id));
    return report;
  }
}
