import type { AnnotationItem } from '../../annotations/annotation-item.ts';
import { collectAnnotationItems } from '../../annotations/collect-annotation-items.ts';
import { renderCase } from '../../core/prompt/render-case.ts';
import type { ChatMessage, ResultRecord, RunRecord } from '../../core/types.ts';
import type { Store } from '../../store/store.ts';
import { caseInputText } from '../../views/result-rows.ts';
import { LruCache } from './lru-cache.ts';
import { type ProjectSource, runStamp } from './ui-context.ts';

export interface RunAnnotationItems {
  items: AnnotationItem[];
  byKey: Map<string, AnnotationItem>;
}

/**
 * The outputs of a run to judge, as `assay annotate` collects them (one per distinct annotation key),
 * kept for the two runs looked at last: every judgment posted is checked against them.
 */
export class AnnotationItemsCache {
  private readonly cache = new LruCache<string, { stamp: string; items: Promise<RunAnnotationItems> }>(2);

  private readonly store: Store;
  private readonly project: ProjectSource;

  constructor(store: Store, project: ProjectSource) {
    this.store = store;
    this.project = project;
  }

  async get(run: RunRecord): Promise<RunAnnotationItems> {
    const stamp = await runStamp(this.store, run);
    const hit = this.cache.get(run.id);
    if (hit && hit.stamp === stamp) return hit.items;
    const items = this.build(run);
    this.cache.set(run.id, { stamp, items });
    items.catch(() => this.cache.delete(run.id));
    return items;
  }

  private async build(run: RunRecord): Promise<RunAnnotationItems> {
    const project = await this.project.get();
    const suite = project?.suites.find((s) => s.name === run.manifest.suite.name);
    const cases = new Map((suite?.cases ?? []).map((c) => [c.id, c]));
    // The input shown is the last user turn the model saw when the project still renders the case, as in
    // the terminal annotator; else the case's variables.
    const inputFor = (r: ResultRecord): ChatMessage[] | undefined => {
      const prompt = project?.prompts.find((p) => p.name === r.prompt && p.version === r.promptVersion);
      const testCase = cases.get(r.caseId);
      if (!testCase) return undefined;
      if (prompt)
        try {
          return renderCase(prompt, testCase);
        } catch {
          // fall through to the variables
        }
      return [{ role: 'user', content: caseInputText(testCase.vars) }];
    };
    const items = await collectAnnotationItems(this.store.iterateResults(run.id), inputFor);
    return { items, byKey: new Map(items.map((i) => [i.key, i])) };
  }
}
