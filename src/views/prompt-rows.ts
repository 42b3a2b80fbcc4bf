import type { PromptVersionRecord } from '../store/store.ts';
import type { PromptRow } from './ui-api-types.ts';

/**
 * The prompts view: every recorded prompt (by name), its versions newest first, each with the labels of
 * the labels file that point at it. A label pointing at a version the store never recorded is listed as a
 * version of its own (no date), so no label is hidden.
 */
export function promptRows(
  versions: readonly PromptVersionRecord[],
  labels: Record<string, Record<string, string>>,
): PromptRow[] {
  const byName = new Map<string, PromptVersionRecord[]>();
  for (const v of versions) {
    const list = byName.get(v.name);
    if (list) list.push(v);
    else byName.set(v.name, [v]);
  }
  for (const name of Object.keys(labels)) if (!byName.has(name)) byName.set(name, []);
  return [...byName.keys()].sort().map((name) => {
    const recorded = [...(byName.get(name) ?? [])].sort(
      (x, y) => y.createdAt.localeCompare(x.createdAt) || x.version.localeCompare(y.version),
    );
    const own = labels[name] ?? {};
    const labelsOf = (version: string) =>
      Object.keys(own)
        .filter((l) => own[l] === version)
        .sort();
    const rows = recorded.map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      ...(v.message !== undefined ? { message: v.message } : {}),
      ...(v.author !== undefined ? { author: v.author } : {}),
      labels: labelsOf(v.version),
    }));
    const known = new Set(recorded.map((v) => v.version));
    for (const version of new Set(Object.values(own)))
      if (!known.has(version)) rows.push({ version, createdAt: '', labels: labelsOf(version) });
    return { name, versions: rows };
  });
}
