import { AnnotationItemsCache } from './annotation-items-cache.ts';
import { ReportCache } from './report-cache.ts';
import { RunIndexCache } from './run-index.ts';
import { ProjectSource, type UiDeps } from './ui-context.ts';

/** What the routes share: the dependencies and the per-run caches. */
export interface UiServices {
  deps: UiDeps;
  project: ProjectSource;
  indexes: RunIndexCache;
  reports: ReportCache;
  annotationItems: AnnotationItemsCache;
  /** Runs file writes (labels, annotations) one at a time: a read-modify-write must not interleave. */
  serialize<T>(task: () => Promise<T>): Promise<T>;
}

export function createUiServices(deps: UiDeps): UiServices {
  const project = new ProjectSource(deps.root, deps.config);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    deps,
    project,
    indexes: new RunIndexCache(deps.store, project),
    reports: new ReportCache(deps.store),
    annotationItems: new AnnotationItemsCache(deps.store, project),
    serialize<T>(task: () => Promise<T>): Promise<T> {
      const run = queue.then(task, task);
      queue = run.catch(() => undefined);
      return run;
    },
  };
}
