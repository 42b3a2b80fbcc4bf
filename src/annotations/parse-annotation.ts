import { ConfigError } from '../core/errors.ts';
import type { Annotation } from './annotation.ts';

/** Where a record came from, for error messages. */
export interface RecordSource {
  file: string;
  line: number;
}

/**
 * Validates one annotation record (a parsed JSON object, or a CSV row turned into one). Every problem is
 * a ConfigError naming the file, the line and the field.
 */
export function parseAnnotation(value: unknown, at: RecordSource): Annotation {
  const fail = (problem: string, field?: string, expected?: string): never => {
    throw new ConfigError(problem, { file: at.file, line: at.line, field, expected });
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('not an annotation', undefined, 'a JSON object');
  const o = value as Record<string, unknown>;
  const str = (field: string, required: boolean): string | undefined => {
    const v = o[field];
    if (v === undefined || v === null) {
      if (required) fail('missing', field, 'a non-empty string');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '')
      fail(`invalid ${JSON.stringify(v)}`, field, 'a non-empty string');
    return v as string;
  };
  const key = str('key', true) as string;
  if (!/^[0-9a-f]{64}$/.test(key))
    fail(`invalid ${JSON.stringify(key)}`, 'key', 'a sha256 hex digest (64 characters)');
  const caseId = str('caseId', true) as string;
  const annotator = str('annotator', true) as string;
  const time = str('at', true) as string;
  if (Number.isNaN(Date.parse(time))) fail(`invalid ${JSON.stringify(time)}`, 'at', 'an ISO 8601 time');
  const out: Annotation = { key, caseId, annotator, at: time };
  const runId = str('runId', false);
  if (runId !== undefined) out.runId = runId;
  const promptVersion = str('promptVersion', false);
  if (promptVersion !== undefined) out.promptVersion = promptVersion;
  const judged = ['verdict', 'score', 'retracted'].filter((f) => o[f] !== undefined && o[f] !== null);
  if (judged.length !== 1)
    fail(
      judged.length === 0 ? 'no judgment' : `both ${judged.join(' and ')}`,
      undefined,
      'exactly one of verdict (pass or fail), score (a number) or retracted (true)',
    );
  if (o.verdict !== undefined && o.verdict !== null) {
    if (o.verdict !== 'pass' && o.verdict !== 'fail')
      fail(`invalid ${JSON.stringify(o.verdict)}`, 'verdict', 'pass or fail');
    out.verdict = o.verdict as 'pass' | 'fail';
  }
  if (o.score !== undefined && o.score !== null) {
    if (typeof o.score !== 'number' || !Number.isFinite(o.score))
      fail(`invalid ${JSON.stringify(o.score)}`, 'score', 'a finite number');
    out.score = o.score as number;
  }
  if (o.retracted !== undefined && o.retracted !== null) {
    if (o.retracted !== true) fail(`invalid ${JSON.stringify(o.retracted)}`, 'retracted', 'true');
    out.retracted = true;
  }
  if (o.note !== undefined && o.note !== null) {
    if (typeof o.note !== 'string') fail(`invalid ${JSON.stringify(o.note)}`, 'note', 'a string');
    if (o.note !== '') out.note = o.note as string;
  }
  return out;
}
