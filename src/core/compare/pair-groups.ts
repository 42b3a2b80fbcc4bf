import { AssayError } from '../errors.ts';
import type { ResultRecord } from '../types.ts';

export interface GroupSelection {
  /** Keep only this prompt (by name) on both sides. */
  prompt?: string;
  /** Keep only this model id on both sides. */
  model?: string;
}

export interface GroupPair {
  baseline: ResultRecord[];
  candidate: ResultRecord[];
}

/**
 * A run holds one group of results per prompt version × model. This pairs each candidate group with one
 * baseline group, after the optional `--prompt` / `--model` filter on both sides, preferring in turn a
 * baseline group with the same prompt and model, the same model, the same prompt, and finally the only
 * baseline group there is. When a preference level matches several baseline groups the pairing is
 * ambiguous: AssayError (exit 2) asking for --prompt / --model. So two single-group runs always pair,
 * and a candidate run with several models pairs each with the same model of the baseline.
 */
export function pairGroups(
  baseline: readonly ResultRecord[],
  candidate: readonly ResultRecord[],
  select: GroupSelection = {},
  names: { baseline: string; candidate: string } = { baseline: 'baseline', candidate: 'candidate' },
): GroupPair[] {
  const base = groupBy(baseline, select);
  const cand = groupBy(candidate, select);
  const filter = describe(select);
  if (base.length === 0)
    throw new AssayError(`the baseline run ${names.baseline} has no results${filter}`, 2);
  if (cand.length === 0)
    throw new AssayError(`the candidate run ${names.candidate} has no results${filter}`, 2);
  const tiers: ((b: Group, c: Group) => boolean)[] = [
    (b, c) => b.prompt === c.prompt && b.modelId === c.modelId,
    (b, c) => b.modelId === c.modelId,
    (b, c) => b.prompt === c.prompt,
    () => true,
  ];
  return cand.map((c) => {
    for (const tier of tiers) {
      const matches = base.filter((b) => tier(b, c));
      if (matches.length === 1) return { baseline: (matches[0] as Group).records, candidate: c.records };
      if (matches.length > 1)
        throw new AssayError(
          `cannot tell which group of the baseline run ${names.baseline} to compare ${c.prompt} × ${c.modelId} with (${matches.map((m) => `${m.prompt} × ${m.modelId}`).join(', ')}): choose with --prompt and/or --model`,
          2,
        );
    }
    /* c8 ignore next */
    throw new AssayError('unreachable: the last tier matches any baseline group', 70);
  });
}

interface Group {
  prompt: string;
  promptVersion: string;
  modelId: string;
  records: ResultRecord[];
}

function groupBy(records: readonly ResultRecord[], select: GroupSelection): Group[] {
  const groups = new Map<string, Group>();
  for (const r of records) {
    if (select.prompt !== undefined && r.prompt !== select.prompt) continue;
    if (select.model !== undefined && r.modelId !== select.model) continue;
    const key = `${r.promptVersion}\u0000${r.modelId}`;
    let g = groups.get(key);
    if (!g) {
      g = { prompt: r.prompt, promptVersion: r.promptVersion, modelId: r.modelId, records: [] };
      groups.set(key, g);
    }
    g.records.push(r);
  }
  return [...groups.values()];
}

function describe(select: GroupSelection): string {
  const parts = [
    select.prompt !== undefined ? `prompt '${select.prompt}'` : '',
    select.model !== undefined ? `model '${select.model}'` : '',
  ].filter(Boolean);
  return parts.length ? ` for ${parts.join(' and ')}` : '';
}
