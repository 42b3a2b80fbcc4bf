import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { type ParsedConfig, parseConfig, validateConfig } from '../core/config/parse-config.ts';
import { AssayError, ConfigError } from '../core/errors.ts';
import { readTextFile } from './read-text-file.ts';

/**
 * Reads and validates a config file: YAML (`assay.yaml`), or a module (`assay.config.ts`/`.mts`/`.js`/`.mjs`)
 * whose default export is the config (see `defineConfig`). `shownAs` names it in errors.
 */
export async function loadConfigFile(path: string, shownAs: string): Promise<ParsedConfig> {
  if (/\.ya?ml$/i.test(path))
    return parseConfig(await readTextFile(path, shownAs, {}, 'config file'), shownAs);
  if (!/\.(ts|mts|js|mjs)$/i.test(path))
    throw new ConfigError(`unsupported config file '${shownAs}'`, {
      expected: 'assay.yaml, assay.yml or assay.config.ts/.mts/.js/.mjs',
    });
  const value = await importConfigModule(path, shownAs);
  return validateConfig(value, shownAs, { allowFunctions: true });
}

/**
 * The config a module exports (`default`, else `config`): a module that fails to import, or exports
 * neither, is a ConfigError naming `shownAs`. Imported fresh when the file changed since the last import.
 */
export async function importConfigModule(path: string, shownAs: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    const version = (await stat(path)).mtimeMs;
    mod = (await import(`${pathToFileURL(path).href}?v=${version}`)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof AssayError) throw e;
    throw new ConfigError(`cannot load ${shownAs}: ${e instanceof Error ? e.message : String(e)}`, {
      file: shownAs,
      expected: 'a module that runs on Node without errors',
    });
  }
  const value = mod.default ?? mod.config;
  if (value === undefined)
    throw new ConfigError(`${shownAs} has no default export`, {
      file: shownAs,
      expected: 'export default defineConfig({ ... })',
    });
  return value;
}
