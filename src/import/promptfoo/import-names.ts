/** Lower-case slug of letters, digits and dashes (≤ 60 characters); empty when nothing is left. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

/** Makes names unique in order: the second `x` becomes `x-2`, the third `x-3` (skipping names taken). */
export function uniqueNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  const seen = new Map<string, number>();
  return names.map((n) => {
    let name = n;
    if (taken.has(name)) {
      let i = seen.get(n) ?? 1;
      do i++;
      while (taken.has(`${n}-${i}`));
      seen.set(n, i);
      name = `${n}-${i}`;
    }
    taken.add(name);
    return name;
  });
}

/**
 * Case ids for promptfoo's expanded test list, in order: the slug of the description, else `test-N`
 * (1-based position). The config converter and the results importer both use this, so an imported
 * results file pairs case by case with a run of the converted project.
 */
export function caseIds(descriptions: readonly (string | undefined)[]): string[] {
  return uniqueNames(descriptions.map((d, i) => (d && slug(d)) || `test-${i + 1}`));
}

/** How a promptfoo prompt was given, which decides its Assay name. */
export type PromptOrigin =
  | { kind: 'inline' }
  | { kind: 'labelled'; label: string }
  | { kind: 'file'; file: string; indexInFile: number; countInFile: number };

/**
 * Prompt names for the expanded prompt list: a label's slug; a file's base name (`-N` when the file holds
 * several prompts); else `prompt-N` (1-based position). Shared with the results importer.
 */
export function promptNames(origins: readonly PromptOrigin[]): string[] {
  return uniqueNames(
    origins.map((o, i) => {
      if (o.kind === 'labelled') return slug(o.label) || `prompt-${i + 1}`;
      if (o.kind === 'file') {
        const base = slug(basename(o.file).replace(/\.[^.]+$/, '')) || 'prompt';
        return o.countInFile > 1 ? `${base}-${o.indexInFile + 1}` : base;
      }
      return `prompt-${i + 1}`;
    }),
  );
}

export function basename(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+$/, '').split('/').pop() ?? path;
}

/** `file://x.txt` → `x.txt`; anything else → undefined. */
export function fileRef(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('file://') ? value.slice('file://'.length) : undefined;
}
