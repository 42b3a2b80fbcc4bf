import type { SQLInputValue } from 'node:sqlite';
import type { ResultRecord } from '../../core/types.ts';

import { decodeResult, encodeResult } from '../result-codec.ts';
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
  /** Added by migration 5. */
  trajectory: string | null;
  /** Added by migration 6. */
  finish_reason: string | null;
}

/**
 * The bind values for one result, in `resultColumns` order. Booleans become 0/1 here, once, because
 * Node 22 cannot bind them.
 */
export function resultToRow(r: ResultRecord): SQLInputValue[] {
  return encodeResult(r).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

/** A ResultRecord from a SQLite row: output arrives as bytes (see resultSelectList), cached as 0/1. */
export function resultFromRow(row: ResultRow): ResultRecord {
  return decodeResult({
    ...row,
    output: row.output === null || typeof row.output === 'string' ? row.output : utf8.decode(row.output),
    cached: row.cached !== 0,
    cluster: row.cluster ?? null,
  });
}
