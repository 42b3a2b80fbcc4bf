import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PromptSpec } from '../core/types.ts';
import { loadProject } from '../project/load-project.ts';
import { databaseUrlFor, openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { type Labels, readLabelsFile } from './labels-file.ts';

/** What the registry commands work on: the project's prompts as they are now, its labels, its store. */
export interface Registry {
  /** Absolute project root (where `assay.labels.yaml` lives). */
  root: string;
  prompts: PromptSpec[];
  labels: Labels;
  /** Undefined when no store exists yet and `create` was not asked for. */
  store: Store | undefined;
  close(): Promise<void>;
}

export interface OpenRegistryOptions {
  cwd?: string;
  config?: string;
  /** Store file instead of the configured one. */
  store?: string;
  /** Create the store when it does not exist (to record a label move). */
  create?: boolean;
}

export async function openRegistry(options: OpenRegistryOptions = {}): Promise<Registry> {
  const cwd = options.cwd ?? process.cwd();
  const project = await loadProject({ cwd, configPath: options.config });
  const labels = await readLabelsFile(project.root);
  const path = options.store ? resolve(cwd, options.store) : project.storePath;
  // The team store (ASSAY_DATABASE_URL or a postgres:// store) always exists; a local file only once used.
  const team = databaseUrlFor({ path }) !== undefined;
  const store = team || options.create || existsSync(path) ? await openStore({ path }) : undefined;
  return {
    root: project.root,
    prompts: project.prompts,
    labels,
    store,
    close: async () => {
      await store?.close();
    },
  };
}
