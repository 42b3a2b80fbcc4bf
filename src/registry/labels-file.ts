import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError } from '../core/errors.ts';
import { parseYaml } from '../core/yaml-locate.ts';

/** The committed labels file, in the project root: `{ prompt: { label: version } }`. */
export const labelsFileName = 'assay.labels.yaml';

/** prompt name → label → version. */
export type Labels = Record<string, Record<string, string>>;

const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const versionPattern = /^[0-9a-f]{4,64}$/;

/** Reads and validates `assay.labels.yaml` under `root`; a missing file is no labels. Errors name file:line. */
export async function readLabelsFile(root: string): Promise<Labels> {
  let text: string;
  try {
    text = await readFile(join(root, labelsFileName), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  return parseLabels(text, labelsFileName);
}

/** Validates the text of a labels file (`file` is only for messages). */
export function parseLabels(text: string, file: string): Labels {
  const { value, locate } = parseYaml(text, file);
  if (value === null || value === undefined) return {};
  const at = (path: (string | number)[], key = false) => {
    const pos = locate(path, key ? 'key' : 'value');
    return { file, line: pos?.line, column: pos?.column };
  };
  const example = 'support: { production: 7c3d709192e4 }';
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError('the labels file must be a mapping of prompt names', {
      ...at([]),
      expected: example,
    });
  const labels: Labels = {};
  for (const [name, byLabel] of Object.entries(value as Record<string, unknown>)) {
    if (!namePattern.test(name))
      throw new ConfigError(`'${name}' is not a prompt name`, {
        ...at([name], true),
        expected: 'letters, digits, ., _ and - only',
      });
    if (byLabel === null || typeof byLabel !== 'object' || Array.isArray(byLabel))
      throw new ConfigError(`labels of prompt '${name}' must be a mapping of label to version`, {
        ...at([name]),
        field: name,
        expected: example,
      });
    labels[name] = {};
    for (const [label, version] of Object.entries(byLabel as Record<string, unknown>)) {
      if (!namePattern.test(label))
        throw new ConfigError(`'${label}' is not a label name`, {
          ...at([name, label], true),
          field: `${name}.${label}`,
          expected: 'letters, digits, ., _ and - only',
        });
      if (typeof version !== 'string' || !versionPattern.test(version))
        throw new ConfigError(`label '${label}' of prompt '${name}' must be a prompt version`, {
          ...at([name, label]),
          field: `${name}.${label}`,
          expected: 'a hex version such as 7c3d709192e4 (see `assay prompt log NAME`)',
          hint: 'quote a version made only of digits',
        });
      (labels[name] as Record<string, string>)[label] = version;
    }
  }
  return labels;
}

/** Writes the labels file atomically (temporary file, then rename), names and labels sorted. */
export async function writeLabelsFile(root: string, labels: Labels): Promise<void> {
  const sorted: Labels = {};
  for (const name of Object.keys(labels).sort()) {
    const byLabel = labels[name] ?? {};
    const keys = Object.keys(byLabel).sort();
    if (keys.length === 0) continue;
    sorted[name] = Object.fromEntries(keys.map((k) => [k, byLabel[k] as string]));
  }
  const header =
    '# Prompt labels: which version of each prompt a label points at. Written by `assay prompt label`.\n';
  const target = join(root, labelsFileName);
  const tmp = `${target}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(
    tmp,
    header + stringify(sorted, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }),
  );
  await rename(tmp, target);
}
