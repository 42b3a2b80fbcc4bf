import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { AssayError } from '../core/errors.ts';

const configNames = [
  'assay.yaml',
  'assay.yml',
  'assay.config.ts',
  'assay.config.mts',
  'assay.config.js',
  'assay.config.mjs',
];

/**
 * Where a project's run store lives, without loading (and validating) the whole project: `runs` and
 * `export` must keep working while a prompt or suite is being edited into shape.
 */
export async function locateStore(opts: { cwd: string; config?: string; store?: string }): Promise<string> {
  if (opts.store) {
    const path = resolve(opts.cwd, opts.store);
    if (!existsSync(path)) throw new AssayError(`no run store at ${path}`, 2);
    return path;
  }
  const file = opts.config
    ? resolve(opts.cwd, opts.config)
    : configNames.map((n) => join(opts.cwd, n)).find(existsSync);
  let store: unknown;
  if (file) {
    if (!existsSync(file)) throw new AssayError(`config file ${file} does not exist`, 2);
    if (/\.ya?ml$/.test(file)) {
      try {
        store = (parse(readFileSync(file, 'utf8')) as { store?: unknown } | null)?.store;
      } catch {
        store = undefined; // the full loader reports YAML errors; the default path is still right
      }
    } else {
      const mod = (await import(pathToFileURL(file).href)) as { default?: { store?: unknown } };
      store = mod.default?.store;
    }
  }
  const root = file ? dirname(file) : opts.cwd;
  const path = typeof store === 'string' ? resolve(root, store) : join(root, '.assay', 'assay.db');
  if (!existsSync(path))
    throw new AssayError(
      `no run store at ${path}: run \`assay eval\` first (or pass -C to the project folder)`,
      2,
    );
  return path;
}
