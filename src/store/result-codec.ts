import type {
  CheckResult,
  ErrorKind,
  ResultRecord,
  ResultStatus,
  ToolCall,
  Trajectory,
  Usage,
} from '../core/types.ts';

/**
 * How a back end stores free text (ids, output, category, cluster): identity for SQLite; PostgreSQL
 * escapes the NUL character its `text` type refuses. JSON columns need no codec (JSON escapes NUL).
 */
export interface TextCodec {
  encode(value: string): string;
  decode(value: string): string;
}

const identity: TextCodec = { encode: (s) => s, decode: (s) => s };

/** A `results` row in neutral form (what every back end reads back, after its own type conversions). */
export interface ResultRowValues {
  run_id: string;
  prompt: string;
  prompt_version: string;
  model_id: string;
  case_id: string;
  repeat: number;
  status: string;
  output: string | null;
  tool_calls: string | null;
  checks: string;
  score: number | null;
  error: string | null;
  usage: string;
  latency_ms: number | null;
  cost: number | null;
  attempts: number;
  cached: boolean;
  category: string | null;
  tags: string | null;
  created_at: string;
  cluster: string | null;
  /** JSON; absent (undefined) in rows of stores older than migration 5. */
  trajectory?: string | null;
  /** Absent (undefined) in rows of stores older than migration 6. */
  finish_reason?: string | null;
}

/** JSON text, or null for an absent value (never `undefined`: drivers refuse to bind it). */
function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** The values of one result in `resultColumns` order; absent fields are null, `cached` a boolean. */
export function encodeResult(
  r: ResultRecord,
  text: TextCodec = identity,
): (string | number | boolean | null)[] {
  const opt = (s: string | undefined) => (s === undefined ? null : text.encode(s));
  return [
    text.encode(r.runId),
    text.encode(r.prompt),
    text.encode(r.promptVersion),
    text.encode(r.modelId),
    text.encode(r.caseId),
    r.repeat,
    r.status,
    opt(r.output),
    json(r.toolCalls),
    json(r.checks),
    r.score ?? null,
    json(r.error),
    json(r.usage),
    r.latencyMs ?? null,
    r.cost ?? null,
    r.attempts,
    r.cached,
    opt(r.category),
    json(r.tags),
    r.createdAt,
    opt(r.cluster),
    json(r.trajectory),
    opt(r.finishReason),
  ];
}

/** A ResultRecord from its row; optional fields stay absent when the column is null. */
export function decodeResult(row: ResultRowValues, text: TextCodec = identity): ResultRecord {
  const r: ResultRecord = {
    runId: text.decode(row.run_id),
    prompt: text.decode(row.prompt),
    promptVersion: text.decode(row.prompt_version),
    modelId: text.decode(row.model_id),
    caseId: text.decode(row.case_id),
    repeat: row.repeat,
    status: row.status as ResultStatus,
    checks: JSON.parse(row.checks) as CheckResult[],
    usage: JSON.parse(row.usage) as Usage,
    cost: row.cost,
    attempts: row.attempts,
    cached: row.cached,
    createdAt: row.created_at,
  };
  if (row.output !== null) r.output = text.decode(row.output);
  if (row.tool_calls !== null) r.toolCalls = JSON.parse(row.tool_calls) as ToolCall[];
  if (row.score !== null) r.score = row.score;
  if (row.error !== null) r.error = JSON.parse(row.error) as { kind: ErrorKind; message: string };
  if (row.latency_ms !== null) r.latencyMs = row.latency_ms;
  if (row.category !== null) r.category = text.decode(row.category);
  if (row.tags !== null) r.tags = JSON.parse(row.tags) as string[];
  if (row.cluster !== null && row.cluster !== undefined) r.cluster = text.decode(row.cluster);
  if (row.trajectory !== null && row.trajectory !== undefined)
    r.trajectory = JSON.parse(row.trajectory) as Trajectory;
  if (row.finish_reason !== null && row.finish_reason !== undefined)
    r.finishReason = text.decode(row.finish_reason);
  return r;
}
