import { dirname, resolve } from 'node:path';
import { AssayError, ConfigError } from '../core/errors.ts';
import type { RunRecord } from '../core/types.ts';
import { findConfigFile } from '../project/find-config-file.ts';
import { labelsFileName, readLabelsFile } from '../registry/labels-file.ts';
import type { Store } from '../store/store.ts';

/** `NAME@REF` split, or undefined for anything else (run ids, `latest~N`, `git:REF`). */
export function parsePromptRef(spec: string): { name: string; ref: string } | undefined {
  if (spec.startsWith('git:')) return undefined;
  const m = /^([^@\s]+)@([^@\s]+)$/.exec(spec);
  return m ? { name: m[1] as string, ref: m[2] as string } : undefined;
}

export interface PromptVersionRef {
  name: string;
  /** The full version (content hash). */
  version: string;
  /** The label it was reached through, when REF was a label. */
  label?: string;
}

/**
 * `NAME@LABEL` (through the labels file) or `NAME@VERSION` (full or a unique prefix of ≥ 4 characters)
 * → the full version. Versions are looked up in the store's prompt versions, then in the manifests of
 * the stored runs. Unknown or ambiguous → AssayError exit 2.
 */
export async function resolvePromptVersion(
  store: Store,
  spec: { name: string; ref: string },
  root: string,
): Promise<PromptVersionRef> {
  const { name, ref } = spec;
  const labels = (await readLabelsFile(root))[name] ?? {};
  const labelled = labels[ref];
  const wanted = labelled ?? ref;
  const label = labelled === undefined ? undefined : ref;
  if (wanted.length < 4)
    throw new AssayError(
      `${name}@${ref}: no label '${ref}' in ${labelsFileName}${known(labels)}, and a version prefix needs at least 4 characters`,
      2,
    );
  const record = await store.getPromptVersion(name, wanted);
  if (record) return { name, version: record.version, ...(label ? { label } : {}) };
  const versions = new Set<string>();
  for (const run of await store.listRuns())
    for (const p of run.manifest.prompts)
      if (p.name === name && p.version.startsWith(wanted)) versions.add(p.version);
  if (versions.size === 1) return { name, version: [...versions][0] as string, ...(label ? { label } : {}) };
  if (versions.size > 1)
    throw new AssayError(
      `${name}@${ref}: version prefix '${wanted}' is ambiguous (${[...versions].join(', ')}); give more characters`,
      2,
    );
  // The labels file is the truth: a full version it names stands even when this store never saw it (a
  // fresh CI runner); its source can still come from git history.
  if (label && /^[0-9a-f]{12}$/.test(wanted)) return { name, version: wanted, label };
  throw new AssayError(
    label
      ? `${name}@${ref}: the label points at version ${wanted}, which is not in the store (its source is recorded when it is evaluated); run \`assay db push\` from a store that has it, or use --baseline git:REF`
      : `${name}@${ref}: no label '${ref}' in ${labelsFileName}${known(labels)} and no version of ${name} starting with '${ref}' in the store; see \`assay prompt log ${name}\``,
    2,
  );
}

/** The newest completed run that evaluated this prompt version, if any. */
export async function newestRunOf(store: Store, ref: PromptVersionRef): Promise<RunRecord | undefined> {
  for (const run of await store.listRuns())
    if (
      run.status === 'completed' &&
      run.manifest.prompts.some((p) => p.name === ref.name && p.version === ref.version)
    )
      return run;
  return undefined;
}

/**
 * A run reference as `compare` and `gate` take it: a run id, unique prefix, `latest`, `latest~N`, or
 * `NAME@LABEL` / `NAME@VERSION` (the newest completed run that evaluated that version). Not found →
 * AssayError exit 2 naming what was looked for.
 */
export async function resolveRunRef(store: Store, spec: string, root: string): Promise<RunRecord> {
  const prompt = parsePromptRef(spec);
  if (!prompt) {
    const run = await store.findRun(spec);
    if (!run) throw new AssayError(`no run '${spec}' in the store; see \`assay runs list\``, 2);
    return run;
  }
  const ref = await resolvePromptVersion(store, prompt, root);
  const run = await newestRunOf(store, ref);
  if (!run)
    throw new AssayError(
      `${spec}: no completed run evaluated ${ref.name} version ${ref.version}; evaluate it (e.g. \`assay gate --baseline ${spec}\`) or see \`assay prompt log ${ref.name}\``,
      2,
    );
  return run;
}

/** The project folder (where the config and the labels file are), or `cwd` when there is no config. */
export async function projectRoot(cwd: string, config?: string): Promise<string> {
  const file = await findConfigFile(cwd, config).catch((e: unknown) => {
    if (config === undefined && e instanceof ConfigError) return undefined;
    throw e;
  });
  return file ? dirname(file) : resolve(cwd);
}

function known(labels: Record<string, string>): string {
  const names = Object.keys(labels);
  return names.length ? ` (labels: ${names.join(', ')})` : '';
}
