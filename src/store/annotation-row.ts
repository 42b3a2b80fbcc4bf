import type { Annotation } from '../annotations/annotation.ts';
import { AssayError } from '../core/errors.ts';
import { sha256Hex } from '../core/sha256-hex.ts';
import type { StoredAnnotation } from './store.ts';

/** The `annotations` columns written by `mirrorAnnotations`, in the order `annotationToRow` gives them. */
export const annotationColumns = [
  'suite',
  'key',
  'run_id',
  'case_id',
  'prompt_version',
  'annotator',
  'verdict',
  'score',
  'retracted',
  'note',
  'at',
  'at_ms',
  'record_hash',
] as const;

/** An `annotations` row as a driver returns it (SQLite gives `retracted` as 0/1, PostgreSQL as a boolean). */
export interface AnnotationRow {
  suite: string;
  key: string;
  run_id: string | null;
  case_id: string;
  prompt_version: string | null;
  annotator: string;
  verdict: string | null;
  score: number | null;
  retracted: number | boolean;
  note: string | null;
  at: string;
}

/** How a back end stores text (PostgreSQL cannot hold NUL) and a flag. */
export interface AnnotationCodec {
  encode(text: string): string;
  decode(text: string): string;
  flag(value: boolean): number | boolean;
}

/**
 * The identity of an annotation line: sha256 of every field. Two lines are the same record exactly when
 * they agree on all of them, so re-mirroring a file stores nothing twice and no distinct line is lost.
 */
export function annotationRecordHash(a: Annotation): string {
  return sha256Hex(
    JSON.stringify([
      a.key,
      a.runId ?? null,
      a.caseId,
      a.promptVersion ?? null,
      a.annotator,
      a.verdict ?? null,
      a.score ?? null,
      a.retracted === true,
      a.note ?? null,
      a.at,
    ]),
  );
}

/**
 * The row values (in `annotationColumns` order) for one record of `suite`, after checking what the
 * schema relies on: a record the file parser would refuse is an AssayError (exit 2) naming it.
 */
export function annotationToRow(
  suite: string,
  a: Annotation,
  index: number,
  codec: AnnotationCodec,
): (string | number | boolean | null)[] {
  const fail = (field: string, value: unknown, expected: string): never => {
    throw new AssayError(
      `cannot mirror annotation ${index + 1} of suite '${suite}': ${field}: invalid ${JSON.stringify(value)}; expected ${expected}`,
      2,
    );
  };
  if (typeof suite !== 'string' || suite.trim() === '')
    throw new AssayError(`cannot mirror annotations: suite ${JSON.stringify(suite)} is not a name`, 2);
  for (const field of ['key', 'caseId', 'annotator'] as const)
    if (typeof a[field] !== 'string' || a[field] === '') fail(field, a[field], 'a non-empty string');
  const atMs = typeof a.at === 'string' ? Date.parse(a.at) : Number.NaN;
  if (Number.isNaN(atMs)) fail('at', a.at, 'an ISO 8601 time');
  if (a.verdict !== undefined && a.verdict !== 'pass' && a.verdict !== 'fail')
    fail('verdict', a.verdict, 'pass or fail');
  if (a.score !== undefined && !(typeof a.score === 'number' && Number.isFinite(a.score)))
    fail('score', a.score, 'a finite number');
  const text = (v: string | undefined): string | null => (v === undefined ? null : codec.encode(v));
  return [
    codec.encode(suite),
    codec.encode(a.key),
    text(a.runId),
    codec.encode(a.caseId),
    text(a.promptVersion),
    codec.encode(a.annotator),
    a.verdict ?? null,
    a.score ?? null,
    codec.flag(a.retracted === true),
    text(a.note),
    codec.encode(a.at),
    atMs,
    annotationRecordHash(a),
  ];
}

/** Absent optional fields are left out (not `undefined`), so records compare equal to what was mirrored. */
export function annotationFromRow(row: AnnotationRow, codec: AnnotationCodec): StoredAnnotation {
  const a: StoredAnnotation = {
    suite: codec.decode(row.suite),
    key: codec.decode(row.key),
    caseId: codec.decode(row.case_id),
    annotator: codec.decode(row.annotator),
    at: codec.decode(row.at),
  };
  if (row.run_id !== null) a.runId = codec.decode(row.run_id);
  if (row.prompt_version !== null) a.promptVersion = codec.decode(row.prompt_version);
  if (row.verdict !== null) a.verdict = row.verdict as 'pass' | 'fail';
  if (row.score !== null) a.score = row.score;
  if (row.retracted === true || row.retracted === 1) a.retracted = true;
  if (row.note !== null) a.note = codec.decode(row.note);
  return a;
}
