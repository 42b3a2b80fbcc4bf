import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { AssayError, ConfigError } from '../core/errors.ts';
import { findConfigFile } from '../project/find-config-file.ts';
import { importConfigModule } from '../project/load-config-file.ts';
import { projectPath } from '../project/project-path.ts';
import { isDatabaseUrl } from '../store/database-url.ts';

/**
 * Where a project's run store lives, without loading (and validating) the whole project: `runs` and
 * `export` must keep working while a prompt or suite is being edited into shape. The config is found as
 * the project loader finds it (`config` may name a file or a folder holding one); a config module that
 * fails to import is a ConfigError, a YAML config that does not parse falls back to the default store.
 */
export async function locateStore(opts: { cwd: string; config?: string; store?: string }): Promise<string> {
  // The team store (PostgreSQL): a URL, handed on as is to openStore.
  const url = process.env.ASSAY_DATABASE_URL?.trim();
  if (url) return url;
  if (isDatabaseUrl(opts.store)) return opts.store;
  if (opts.store) {
    const path = resolve(opts.cwd, opts.store);
    if (!existsSync(path)) throw new AssayError(`no run store at ${path}`, 2);
    return path;
  }
  const file =
    opts.config !== undefined
      ? await findConfigFile(opts.cwd, opts.config)
      : await findConfigFile(opts.cwd).catch((e: unknown) => {
          if (e instanceof ConfigError) return undefined; // no config here: the default store
          throw e;
        });
  const root = file ? dirname(file) : resolve(opts.cwd);
  let store: unknown;
  if (file) {
    const shown = projectPath(root, file);
    if (/\.ya?ml$/i.test(file)) {
      try {
        store = (parse(readFileSync(file, 'utf8')) as { store?: unknown } | null)?.store;
      } catch {
        store = undefined; // the full loader reports YAML errors; the default path is still right
      }
    } else if (/\.(ts|mts|js|mjs)$/i.test(file)) {
      store = ((await importConfigModule(file, shown)) as { store?: unknown } | null)?.store;
    } else {
      throw new ConfigError(`unsupported config file '${shown}'`, {
        expected: 'assay.yaml, assay.yml or assay.config.ts/.mts/.js/.mjs',
      });
    }
  }
  if (typeof store === 'string' && isDatabaseUrl(store)) return store;
  const path = typeof store === 'string' ? resolve(root, store) : join(root, '.assay', 'assay.db');
  if (!existsSync(path))
    throw new AssayError(
      `no run store at ${path}: run \`assay eval\` first (or pass -C to the project folder)`,
      2,
    );
  return path;
}
