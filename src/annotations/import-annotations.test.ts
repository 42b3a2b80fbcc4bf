import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { annotationKey } from './annotation-key.ts';
import { importAnnotations } from './import-annotations.ts';
import { parseCsv } from './parse-csv.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-import-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const now = '2026-05-06T07:08:09.000Z';
const key = annotationKey('Sure, "30 days",\nthen a refund.', 'refund', 'v1');

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and newlines; CRLF; BOM; skips blank lines', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""",2\n\n"multi\nline",\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', '2'] },
      { line: 4, fields: ['multi\nline', ''] },
    ]);
  });
  it('an unclosed quote is an error naming the row', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/unclosed quote in the row starting on line 2/);
  });
});

describe('importAnnotations', () => {
  it('CSV: computes the key from output + caseId + promptVersion, maps verdict spellings, fills annotator and time', () => {
    const p = file(
      'a.csv',
      'caseId,promptVersion,output,verdict,note\nrefund,v1,"Sure, ""30 days"",\nthen a refund.",Yes,\nrefund,v1,x,FAIL,too short\n',
    );
    const got = importAnnotations(p, { annotator: 'ana', now });
    expect(got).toEqual([
      { key, caseId: 'refund', promptVersion: 'v1', annotator: 'ana', verdict: 'pass', at: now },
      {
        key: annotationKey('x', 'refund', 'v1'),
        caseId: 'refund',
        promptVersion: 'v1',
        annotator: 'ana',
        verdict: 'fail',
        note: 'too short',
        at: now,
      },
    ]);
  });

  it('CSV: a key column, scores as numbers, an annotator column of its own', () => {
    const p = file('a.csv', `key,caseId,annotator,score,at\n${key},refund,bob,4,2026-01-01T00:00:00Z\n`);
    expect(importAnnotations(p, { now })).toEqual([
      { key, caseId: 'refund', annotator: 'bob', score: 4, at: '2026-01-01T00:00:00Z' },
    ]);
  });

  it('JSONL import accepts the file format itself, with output instead of key', () => {
    const p = file(
      'a.jsonl',
      `${JSON.stringify({ caseId: 'refund', promptVersion: 'v1', output: 'Sure, "30 days",\nthen a refund.', verdict: true })}\n`,
    );
    expect(importAnnotations(p, { annotator: 'cy', now })).toEqual([
      { key, caseId: 'refund', promptVersion: 'v1', annotator: 'cy', verdict: 'pass', at: now },
    ]);
  });

  it('problems name the file and line; nothing is returned unless every record is valid', () => {
    const bad: [string, string, RegExp][] = [
      [
        'a.csv',
        'caseId,output\nrefund,x\n',
        /^a\.csv:2: no key; expected a key, or output, caseId and promptVersion$/,
      ],
      [
        'a.csv',
        `key,caseId,verdict\n${key},refund,pass\n`,
        /^a\.csv:2: no annotator\. add an annotator column or pass --annotator NAME$/,
      ],
      ['a.csv', `key,caseId,verdict\n${key},refund\n`, /^a\.csv:2: 2 fields; expected 3, as in the header$/],
      [
        'a.csv',
        `key,caseId,verdict,annotator\n${key},refund,meh,ana\n`,
        /^a\.csv:2: verdict: invalid "meh"; expected pass or fail$/,
      ],
      ['a.csv', `key,caseId,score,annotator\n${key},refund,high,ana\n`, /^a\.csv:2: score: invalid "high"/],
      ['a.csv', 'key,caseId\n"open', /^a\.csv: unclosed quote in the row starting on line 2$/],
      ['a.jsonl', '\n{oops\n', /^a\.jsonl:2: not valid JSON/],
    ];
    for (const [name, text, message] of bad) {
      const p = file(name, text);
      expect(() => importAnnotations(p, { shown: name, now })).toThrow(message);
    }
  });
});
