import type { ResultRecord, ResultStatus } from '../core/types.ts';
import type { ResultRow } from './ui-api-types.ts';

/** Longest output a result row carries; the rest stays in the store (`assay export` has it all). */
export const OUTPUT_MAX_CHARS = 4000;
/** Longest rendering of a case's variables in a result row. */
export const INPUT_MAX_CHARS = 500;

/** A result as the UI keeps it in memory: small fields, the output cut to OUTPUT_MAX_CHARS. */
export type ResultEntry = Omit<ResultRow, 'index' | 'input'>;

/** Cuts `text` to `max` characters (never inside a surrogate pair), saying whether it cut. */
export function truncateText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return { text: text.slice(0, end), truncated: true };
}

export function toResultEntry(r: ResultRecord): ResultEntry {
  const out = truncateText(r.output ?? '', OUTPUT_MAX_CHARS);
  const entry: ResultEntry = {
    caseId: r.caseId,
    promptName: r.prompt,
    promptVersion: r.promptVersion,
    modelId: r.modelId,
    repeat: r.repeat,
    status: r.status,
    output: out.text,
    outputTruncated: out.truncated,
    checks: r.checks.map((c) => ({
      type: c.type,
      ...(c.name !== undefined ? { name: c.name } : {}),
      pass: c.pass,
      ...(c.score !== undefined ? { score: c.score } : {}),
      reason: c.reason,
      ...(c.error !== undefined ? { error: c.error } : {}),
    })),
  };
  if (r.latencyMs !== undefined) entry.latencyMs = r.latencyMs;
  entry.cost = r.cost;
  if (r.error) entry.error = `${r.error.kind}: ${r.error.message}`;
  return entry;
}

/**
 * The run's stable order: cases in the order the store first saw them, then prompt and model in the
 * order of the manifest, then repeat. The same stored run always gives the same order, whatever the
 * order its calls finished in.
 */
export function orderResultEntries(
  entries: ResultEntry[],
  manifest: { promptVersions: readonly string[]; models: readonly string[] },
): ResultEntry[] {
  const caseRank = new Map<string, number>();
  for (const e of entries) if (!caseRank.has(e.caseId)) caseRank.set(e.caseId, caseRank.size);
  const rank = (list: readonly string[], v: string) => {
    const i = list.indexOf(v);
    return i < 0 ? list.length : i;
  };
  const keyed = entries.map((e, i) => ({
    e,
    i,
    c: caseRank.get(e.caseId) as number,
    p: rank(manifest.promptVersions, e.promptVersion),
    m: rank(manifest.models, e.modelId),
  }));
  keyed.sort((x, y) => x.c - y.c || x.p - y.p || x.m - y.m || x.e.repeat - y.e.repeat || x.i - y.i);
  return keyed.map((k) => k.e);
}

/** A case's variables as short text, one `name: value` per line, at most INPUT_MAX_CHARS characters. */
export function caseInputText(vars: Record<string, unknown> | undefined): string {
  if (!vars) return '';
  const lines = Object.entries(vars).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : safeJson(v)}`);
  const text = lines.join('\n');
  return text.length <= INPUT_MAX_CHARS ? text : `${truncateText(text, INPUT_MAX_CHARS - 1).text}…`;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export interface ResultFilter {
  status?: ResultStatus;
  /** Case-insensitive text searched in the case id, model, input, output and error. */
  q?: string;
}

/** Whether a result passes the filter; `q` must already be lower-cased. */
export function matchesResult(entry: ResultEntry, input: string, filter: ResultFilter): boolean {
  if (filter.status !== undefined && entry.status !== filter.status) return false;
  const q = filter.q;
  if (q === undefined || q === '') return true;
  return (
    entry.caseId.toLowerCase().includes(q) ||
    entry.modelId.toLowerCase().includes(q) ||
    input.toLowerCase().includes(q) ||
    entry.output.toLowerCase().includes(q) ||
    (entry.error?.toLowerCase().includes(q) ?? false)
  );
}

export function toResultRow(entry: ResultEntry, index: number, input: string): ResultRow {
  return { index, ...entry, input };
}
