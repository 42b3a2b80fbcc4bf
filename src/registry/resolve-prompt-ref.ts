import { AssayError } from '../core/errors.ts';
import { parsePrompt } from '../core/prompt/parse-prompt.ts';
import type { PromptSpec } from '../core/types.ts';
import type { PromptVersionRecord } from '../store/store.ts';
import { gitPromptSource } from './git-prompt-source.ts';
import { labelsFileName } from './labels-file.ts';
import type { Registry } from './open-registry.ts';

/** A prompt version found by reference, with its full file text and where that text came from. */
export interface ResolvedPrompt {
  name: string;
  version: string;
  file: string;
  source: string;
  /** store: recorded by an eval · file: the current file has this version · git: found in git history. */
  origin: 'store' | 'file' | 'git';
  /** The label the reference named, if it named one. */
  label?: string;
  /** The store's record of the version, when it has one (author, message, parent, …). */
  record?: PromptVersionRecord;
  spec: PromptSpec;
}

/** Splits `NAME@REF` (REF a version, a unique prefix of one, or a label); a bare NAME has no REF. */
export function splitPromptRef(ref: string): { name: string; ref?: string } {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return { name: ref };
  return { name: ref.slice(0, at), ref: ref.slice(at + 1) };
}

/**
 * Resolves a prompt by name and a version (prefix), label, or nothing (the current file). The text comes
 * from the store, else from the current file when its version matches, else from git history.
 */
export async function resolvePromptRef(
  registry: Registry,
  name: string,
  ref: { version?: string; label?: string } = {},
): Promise<ResolvedPrompt> {
  const current = registry.prompts.find((p) => p.name === name);
  const known = registry.store ? (await registry.store.listPromptVersions(name)).length > 0 : false;
  if (!current && !known && !registry.labels[name])
    throw new AssayError(
      `unknown prompt '${name}'${registry.prompts.length ? `; the project's prompts: ${registry.prompts.map((p) => p.name).join(', ')}` : ''}`,
      2,
    );
  let version = ref.version;
  if (ref.label !== undefined) {
    version = registry.labels[name]?.[ref.label];
    if (version === undefined) {
      const have = Object.keys(registry.labels[name] ?? {});
      throw new AssayError(
        `prompt '${name}' has no label '${ref.label}' in ${labelsFileName}${have.length ? ` (it has: ${have.join(', ')})` : ''}; set one with \`assay prompt label ${name}@VERSION ${ref.label}\``,
        2,
      );
    }
  }
  const withLabel = ref.label !== undefined ? { label: ref.label } : {};
  if (version === undefined) {
    if (!current) throw new AssayError(`prompt '${name}' has no file in the project now; name a version`, 2);
    return fromFile(current, withLabel);
  }
  if (!/^[0-9a-f]+$/.test(version))
    throw new AssayError(
      `'${version}' is not a version of prompt '${name}' (versions are hex, e.g. 7c3d7091)`,
      2,
    );
  if (version.length < 4)
    throw new AssayError(`version '${version}' is too short: give at least 4 characters`, 2);
  const record = await registry.store?.getPromptVersion(name, version);
  if (record) {
    const spec = parsePrompt(record.source, record.file);
    return {
      name,
      version: record.version,
      file: record.file,
      source: record.source,
      origin: 'store',
      record,
      spec,
      ...withLabel,
    };
  }
  if (current?.version.startsWith(version)) return fromFile(current, withLabel);
  const file = current?.file;
  const found = file ? await gitPromptSource(registry.root, file, version) : undefined;
  if (found && file) {
    const spec = parsePrompt(found.source, file);
    return { name, version: spec.version, file, source: found.source, origin: 'git', spec, ...withLabel };
  }
  throw new AssayError(
    `unknown version '${version}' of prompt '${name}': not in the run store, not the current file, not in git history; see \`assay prompt log ${name}\``,
    2,
  );
}

function fromFile(spec: PromptSpec, extra: { label?: string }): ResolvedPrompt {
  return {
    name: spec.name,
    version: spec.version,
    file: spec.file,
    source: spec.raw ?? '',
    origin: 'file',
    spec,
    ...extra,
  };
}

/** Resolves `NAME@REF` where REF is a label of the labels file if it names one, else a version. */
export async function resolvePromptString(registry: Registry, text: string): Promise<ResolvedPrompt> {
  const { name, ref } = splitPromptRef(text);
  if (ref === undefined) return resolvePromptRef(registry, name);
  if (registry.labels[name]?.[ref] !== undefined) return resolvePromptRef(registry, name, { label: ref });
  if (!/^[0-9a-f]+$/.test(ref)) return resolvePromptRef(registry, name, { label: ref }); // names the missing label in the error
  return resolvePromptRef(registry, name, { version: ref });
}
