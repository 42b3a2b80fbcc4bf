import type { ResultStatus, RunRecord } from '../../core/types.ts';
import type { Store } from '../../store/store.ts';
import {
  caseInputText,
  matchesResult,
  orderResultEntries,
  type ResultEntry,
  type ResultFilter,
  toResultEntry,
  toResultRow,
} from '../../views/result-rows.ts';
import type { ResultRow } from '../../views/ui-api-types.ts';
import { LruCache } from './lru-cache.ts';
import { type ProjectSource, runStamp } from './ui-context.ts';

/**
 * A run's results held in memory for paging: the small fields of every result in the run's stable order,
 * outputs cut to 4,000 characters, and the positions of each status. Built once per run by streaming the
 * store; a page is then a slice of an array.
 */
export class RunIndex {
  private readonly byStatus: Record<ResultStatus, number[]> = { pass: [], fail: [], error: [] };
  /** Positions matching recent text searches (paging through a search must not rescan 100k outputs). */
  private readonly searches = new LruCache<string, number[]>(8);

  readonly runId: string;
  readonly stamp: string;
  readonly entries: readonly ResultEntry[];
  private readonly inputs: ReadonlyMap<string, string>;

  constructor(
    runId: string,
    stamp: string,
    entries: readonly ResultEntry[],
    inputs: ReadonlyMap<string, string>,
  ) {
    this.runId = runId;
    this.stamp = stamp;
    this.entries = entries;
    this.inputs = inputs;
    entries.forEach((e, i) => {
      this.byStatus[e.status].push(i);
    });
  }

  inputOf(caseId: string): string {
    return this.inputs.get(caseId) ?? '';
  }

  /** Positions (in the stable order) of the results passing the filter. */
  positions(filter: ResultFilter): readonly number[] | undefined {
    const q = filter.q?.toLowerCase() ?? '';
    if (q === '') return filter.status ? this.byStatus[filter.status] : undefined;
    const key = `${filter.status ?? ''}\u0000${q}`;
    let hit = this.searches.get(key);
    if (!hit) {
      hit = [];
      const base = filter.status ? this.byStatus[filter.status] : undefined;
      const n = base ? base.length : this.entries.length;
      for (let k = 0; k < n; k++) {
        const i = base ? (base[k] as number) : k;
        const e = this.entries[i] as ResultEntry;
        if (matchesResult(e, this.inputOf(e.caseId), { q })) hit.push(i);
      }
      this.searches.set(key, hit);
    }
    return hit;
  }

  page(
    filter: ResultFilter,
    offset: number,
    limit: number,
  ): { total: number; offset: number; rows: ResultRow[] } {
    const pos = this.positions(filter);
    const total = pos ? pos.length : this.entries.length;
    const rows: ResultRow[] = [];
    for (let k = offset; k < Math.min(total, offset + limit); k++) {
      const i = pos ? (pos[k] as number) : k;
      const e = this.entries[i] as ResultEntry;
      rows.push(toResultRow(e, i, this.inputOf(e.caseId)));
    }
    return { total, offset, rows };
  }
}

/** The indexes of the runs looked at last (two: a comparison holds both), rebuilt when a run changes. */
export class RunIndexCache {
  private readonly cache: LruCache<string, { stamp: string; index: Promise<RunIndex> }>;

  private readonly store: Store;
  private readonly project: ProjectSource;

  constructor(store: Store, project: ProjectSource, capacity = 2) {
    this.store = store;
    this.project = project;
    this.cache = new LruCache(capacity);
  }

  async get(run: RunRecord): Promise<RunIndex> {
    const stamp = await runStamp(this.store, run);
    const hit = this.cache.get(run.id);
    if (hit && hit.stamp === stamp) return hit.index;
    const index = this.build(run, stamp);
    this.cache.set(run.id, { stamp, index });
    index.catch(() => this.cache.delete(run.id)); // a failed build is retried by the next request
    return index;
  }

  private async build(run: RunRecord, stamp: string): Promise<RunIndex> {
    const entries: ResultEntry[] = [];
    for await (const r of this.store.iterateResults(run.id)) entries.push(toResultEntry(r));
    const ordered = orderResultEntries(entries, {
      promptVersions: run.manifest.prompts.map((p) => p.version),
      models: run.manifest.models.map((m) => m.id),
    });
    // Results do not keep the case's variables: they come from the project's suite, when it still loads.
    const inputs = new Map<string, string>();
    const project = await this.project.get();
    const suite = project?.suites.find((s) => s.name === run.manifest.suite.name);
    for (const c of suite?.cases ?? []) inputs.set(c.id, caseInputText(c.vars));
    return new RunIndex(run.id, stamp, ordered, inputs);
  }
}
