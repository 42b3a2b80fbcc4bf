import type { PromptSpec, RunManifest } from '../core/types.ts';

/** The leak guard's skipped few-shot examples of the run's prompts (docs/techniques.md), once each. */
export function variantWarnings(prompts: readonly PromptSpec[], manifest: RunManifest): string[] {
  const out = new Set<string>();
  for (const { name, version } of manifest.prompts) {
    const p = prompts.find((x) => x.name === name && x.version === version);
    for (const w of p?.variantOf?.skipped ?? []) out.add(w);
  }
  return [...out];
}
