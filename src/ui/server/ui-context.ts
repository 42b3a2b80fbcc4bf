import type { Project } from '../../core/config/project.ts';
import type { RunRecord } from '../../core/types.ts';
import { loadProject } from '../../project/load-project.ts';
import type { Store } from '../../store/store.ts';
import { HttpError } from './http-error.ts';

/** What the UI server works on. */
export interface UiDeps {
  /** Absolute project root: the labels file and annotations/ live here. */
  root: string;
  /** The open run store (the caller closes it). */
  store: Store;
  /** The access token every /api request must carry. */
  token: string;
  /** The port served, for the Host and Origin checks. */
  port: number;
  /** The built front end (dist/web); when missing, `/` says how to build it. */
  staticDir?: string;
  /** Config file, as `-c`, when not the default one. */
  config?: string;
}

/**
 * The project as it is now, reloaded at most every few seconds (inputs, judges and protected cases come
 * from it). A project being edited into shape does not load: callers then do without it.
 */
export class ProjectSource {
  private cached: { at: number; value: Promise<Project | undefined> } | undefined;
  private readonly root: string;
  private readonly config: string | undefined;
  private readonly ttlMs: number;

  constructor(root: string, config: string | undefined, ttlMs = 3000) {
    this.root = root;
    this.config = config;
    this.ttlMs = ttlMs;
  }

  get(): Promise<Project | undefined> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs)
      this.cached = {
        at: now,
        value: loadProject({ cwd: this.root, configPath: this.config }).catch(() => undefined),
      };
    return this.cached.value;
  }
}

/** A run by full id, unique prefix, `latest` or `latest~N`; 404 when there is none. */
export async function findRunOr404(store: Store, ref: string): Promise<RunRecord> {
  let run: RunRecord | undefined;
  try {
    run = (await store.getRun(ref)) ?? (await store.findRun(ref));
  } catch (e) {
    throw new HttpError(400, (e as Error).message); // an ambiguous prefix
  }
  if (!run) throw new HttpError(404, `no run '${ref}'`);
  return run;
}

/**
 * What identifies the stored state of a run: a finished run never changes, but a running (or resumed)
 * one gains results, so its count is part of the stamp.
 */
export async function runStamp(store: Store, run: RunRecord): Promise<string> {
  const base = `${run.status}|${run.finishedAt ?? ''}`;
  return run.status === 'running' ? `${base}|${await store.countResults(run.id)}` : base;
}
