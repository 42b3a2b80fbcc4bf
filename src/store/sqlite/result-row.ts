import type { SQLInputValue } from 'node:sqlite';
import type {
  CheckResult,
  ErrorKind,
  ResultRecord,
  ResultStatus,
  ToolCall,
  Usage,
} from '../../core/types.ts';

import { resultColumns } from '../result-columns.ts';

export { resultColumns };

/**
 * The SELECT list for reading results. `output` (model text, hostile) is read as bytes and decoded here:
 * Node 22's node:sqlite cuts a text value at its first NUL character, bytes come back whole.
 */
export const resultSelectList = resultColumns
  .map((c) => (c === 'output' ? 'CAST(output AS BLOB) AS output' : c))
  .join(', ');

const utf8 = new TextDecoder();

/** A `results` row as SQLite returns it. */
export interface ResultRow {
  run_id: string;
  prompt: string;
  prompt_version: string;
  model_id: string;
  case_id: string;
  repeat: number;
  status: string;
  /** Selected as a BLOB (see `resultSelectList`), a string when selected plainly. */
  output: string | Uint8Array | null;
  tool_calls: string | null;
  checks: string;
  score: number | null;
  error: string | null;
  usage: string;
  latency_ms: number | null;
  cost: number | null;
  attempts: number;
  cached: number;
  category: string | null;
  tags: string | null;
  created_at: string;
  /** Added by migration 2; null for results written before it and for cases without a cluster. */
  cluster: string | null;
}

/** JSON text, or null for an absent value (never `undefined`: node:sqlite refuses to bind it). */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * The bind values for one result, in `resultColumns` order. Booleans become 0/1 and absent fields null
 * here, once, because Node 22 cannot bind either.
 */
export function resultToRow(r: ResultRecord): SQLInputValue[] {
  return [
    r.runId,
    r.prompt,
    r.promptVersion,
    r.modelId,
    r.caseId,
    r.repeat,
    r.status,
    r.output ?? null,
    json(r.toolCalls),
    json(r.checks),
    r.score ?? null,
    json(r.error),
    json(r.usage),
    r.latencyMs ?? null,
    r.cost ?? null,
    r.attempts,
    r.cached ? 1 : 0,
    r.category ?? null,
    json(r.tags),
    r.createdAt,
    r.cluster ?? null,
  ];
}

/** The result a row stores. Optional fields that were absent when written are absent again. */
export function resultFromRow(row: ResultRow): ResultRecord {
  const r: ResultRecord = {
    runId: row.run_id,
    prompt: row.prompt,
    promptVersion: row.prompt_version,
    modelId: row.model_id,
    caseId: row.case_id,
    repeat: row.repeat,
    status: row.status as ResultStatus,
    checks: JSON.parse(row.checks) as CheckResult[],
    usage: JSON.parse(row.usage) as Usage,
    cost: row.cost,
    attempts: row.attempts,
    cached: row.cached !== 0,
    createdAt: row.created_at,
  };
  if (row.output !== null) r.output = typeof row.output === 'string' ? row.output : utf8.decode(row.output);
  if (row.tool_calls !== null) r.toolCalls = JSON.parse(row.tool_calls) as ToolCall[];
  if (row.score !== null) r.score = row.score;
  if (row.error !== null) r.error = JSON.parse(row.error) as { kind: ErrorKind; message: string };
  if (row.latency_ms !== null) r.latencyMs = row.latency_ms;
  if (row.category !== null) r.category = row.category;
  if (row.tags !== null) r.tags = JSON.parse(row.tags) as string[];
  if (row.cluster !== null && row.cluster !== undefined) r.cluster = row.cluster;
  return r;
}
