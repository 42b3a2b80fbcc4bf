import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.ts';
import type { Annotation } from './annotation.ts';
import { annotationKey } from './annotation-key.ts';
import { parseAnnotation } from './parse-annotation.ts';
import { parseCsv } from './parse-csv.ts';

export interface ImportOptions {
  /** Annotator for records without one (and overriding none that have one). */
  annotator?: string;
  /** Time for records without `at` (default: now). */
  now?: string;
  /** Name of the file in messages (default: the path). */
  shown?: string;
}

/**
 * Reads annotations from a CSV file (header row; columns as the JSONL fields) or a JSONL file (`.jsonl`,
 * `.ndjson`). A record names its output either by `key` or by `output` + `caseId` + `promptVersion`
 * (the key is then computed); `verdict` (pass/fail, also accepted: 1/0, true/false, yes/no) or `score`;
 * optional `note`, `runId`, `annotator` (else `--annotator`) and `at` (else now). Every problem is a
 * ConfigError naming the file and line; nothing is imported unless every record is valid.
 */
export function importAnnotations(path: string, options: ImportOptions = {}): Annotation[] {
  const shown = options.shown ?? path;
  const now = options.now ?? new Date().toISOString();
  const text = readFileSync(path, 'utf8');
  const records: { line: number; value: Record<string, unknown> }[] = [];
  if (/\.(jsonl|ndjson)$/i.test(path)) {
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (e) {
        throw new ConfigError(`not valid JSON (${(e as Error).message})`, { file: shown, line: i + 1 });
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new ConfigError('not an annotation', { file: shown, line: i + 1, expected: 'a JSON object' });
      records.push({ line: i + 1, value: value as Record<string, unknown> });
    });
  } else {
    let rows: { line: number; fields: string[] }[];
    try {
      rows = parseCsv(text);
    } catch (e) {
      throw new ConfigError((e as Error).message, { file: shown });
    }
    const [header, ...body] = rows;
    if (!header) return [];
    const names = header.fields.map((f) => f.trim());
    for (const row of body) {
      if (row.fields.length !== names.length)
        throw new ConfigError(`${row.fields.length} fields`, {
          file: shown,
          line: row.line,
          expected: `${names.length}, as in the header`,
        });
      const value: Record<string, unknown> = {};
      names.forEach((n, j) => {
        const v = row.fields[j] ?? '';
        if (v !== '') value[n] = v;
      });
      if (typeof value.score === 'string') {
        const n = Number(value.score);
        value.score = value.score.trim() !== '' && Number.isFinite(n) ? n : value.score;
      }
      records.push({ line: row.line, value });
    }
  }
  return records.map(({ line, value }) => toAnnotation(value, { file: shown, line }, options.annotator, now));
}

const VERDICTS: Record<string, 'pass' | 'fail'> = {
  pass: 'pass',
  fail: 'fail',
  '1': 'pass',
  '0': 'fail',
  true: 'pass',
  false: 'fail',
  yes: 'pass',
  no: 'fail',
};

function toAnnotation(
  value: Record<string, unknown>,
  at: { file: string; line: number },
  annotator: string | undefined,
  now: string,
): Annotation {
  const v = { ...value };
  if (v.key === undefined) {
    const { output, caseId, promptVersion } = v;
    if (typeof output !== 'string' || typeof caseId !== 'string' || typeof promptVersion !== 'string')
      throw new ConfigError('no key', {
        file: at.file,
        line: at.line,
        expected: 'a key, or output, caseId and promptVersion',
      });
    v.key = annotationKey(output, caseId, promptVersion);
  }
  delete v.output;
  if (typeof v.verdict === 'string') v.verdict = VERDICTS[v.verdict.trim().toLowerCase()] ?? v.verdict;
  if (typeof v.verdict === 'boolean') v.verdict = v.verdict ? 'pass' : 'fail';
  if (v.annotator === undefined) v.annotator = annotator;
  if (v.at === undefined) v.at = now;
  if (v.annotator === undefined)
    throw new ConfigError('no annotator', {
      file: at.file,
      line: at.line,
      hint: 'add an annotator column or pass --annotator NAME',
    });
  return parseAnnotation(v, at);
}
