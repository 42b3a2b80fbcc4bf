import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError } from '../core/errors.ts';

/** Config file names looked for, in this order. */
export const CONFIG_FILE_NAMES = [
  'assay.yaml',
  'assay.yml',
  'assay.config.ts',
  'assay.config.mts',
  'assay.config.js',
  'assay.config.mjs',
] as const;

/**
 * The absolute path of the project's config: `configPath` (a file, or a folder to search) relative to
 * `cwd`, else the first of CONFIG_FILE_NAMES in `cwd`.
 */
export async function findConfigFile(cwd: string, configPath?: string): Promise<string> {
  let dir = resolve(cwd);
  if (configPath !== undefined) {
    const target = resolve(cwd, configPath);
    const info = await stat(target).catch(() => undefined);
    if (!info)
      throw new ConfigError(`config file '${configPath}' not found`, {
        expected: `a path relative to ${cwd}, e.g. assay.yaml`,
      });
    if (!info.isDirectory()) return target;
    dir = target;
  }
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = resolve(dir, name);
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  throw new ConfigError(`no assay.yaml found in ${dir}; run \`assay init\` to create one`);
}
