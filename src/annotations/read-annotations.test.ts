import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../core/errors.ts';
import type { Annotation } from './annotation.ts';
import { annotationKey } from './annotation-key.ts';
import { appendAnnotations } from './append-annotations.ts';
import { latestAnnotations } from './latest-annotations.ts';
import { readAnnotations } from './read-annotations.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-annotations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const k1 = annotationKey('Yes, within 30 days.', 'refund', 'v1');
const k2 = annotationKey('No.', 'refund', 'v1');
const at = '2026-01-02T03:04:05.000Z';

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('annotations files', () => {
  it('round-trips every field through append → read, one JSON object a line, folder created', () => {
    const file = join(dir, 'annotations/support.jsonl');
    const written: Annotation[] = [
      { key: k1, runId: 'r1', caseId: 'refund', promptVersion: 'v1', annotator: 'ana', verdict: 'pass', at },
      { key: k2, caseId: 'refund', annotator: 'ana', score: 4, note: 'ok, "quoted"\nsecond line', at },
      { key: k2, caseId: 'refund', annotator: 'ana', retracted: true, at },
    ];
    appendAnnotations(file, written.slice(0, 1));
    appendAnnotations(file, written.slice(1));
    expect(readAnnotations(file)).toEqual(written);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')).toHaveLength(4); // three lines and the final newline
    expect(text.startsWith(`{"key":"${k1}","runId":"r1","caseId":"refund"`)).toBe(true);
  });

  it('a missing file holds no annotations; blank lines are ignored', () => {
    expect(readAnnotations(join(dir, 'none.jsonl'))).toEqual([]);
    const file = join(dir, 'a.jsonl');
    writeFileSync(
      file,
      `\n${JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', verdict: 'fail', at })}\n\n`,
    );
    expect(readAnnotations(file)).toHaveLength(1);
  });

  it('appending after a last line without its newline starts a new line', () => {
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', verdict: 'fail', at }));
    appendAnnotations(file, [{ key: k1, caseId: 'c', annotator: 'a', verdict: 'pass', at }]);
    expect(readAnnotations(file).map((a) => a.verdict)).toEqual(['fail', 'pass']);
  });

  it('the latest line per (key, annotator) wins; a retraction withdraws; other annotators are independent', () => {
    const lines: Annotation[] = [
      { key: k1, caseId: 'c', annotator: 'ana', verdict: 'pass', at },
      { key: k1, caseId: 'c', annotator: 'bob', verdict: 'fail', at },
      { key: k2, caseId: 'c', annotator: 'ana', verdict: 'pass', at },
      { key: k1, caseId: 'c', annotator: 'ana', verdict: 'fail', note: 'changed my mind', at },
      { key: k2, caseId: 'c', annotator: 'ana', retracted: true, at },
    ];
    expect(latestAnnotations(lines)).toEqual([lines[3], lines[1]]);
  });

  it('malformed lines are ConfigErrors naming the file, the line and the field', () => {
    const file = join(dir, 'bad.jsonl');
    const good = JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', verdict: 'pass', at });
    const cases: [string, RegExp][] = [
      ['{not json', /^bad\.jsonl:2: not valid JSON .*each line of an annotations file is one JSON object/],
      ['[1]', /^bad\.jsonl:2: not an annotation; expected a JSON object$/],
      [JSON.stringify({ caseId: 'c', annotator: 'a', verdict: 'pass', at }), /^bad\.jsonl:2: key: missing/],
      [
        JSON.stringify({ key: 'abc', caseId: 'c', annotator: 'a', verdict: 'pass', at }),
        /key: invalid "abc"; expected a sha256/,
      ],
      [
        JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', verdict: 'maybe', at }),
        /:2: verdict: invalid "maybe"; expected pass or fail/,
      ],
      [
        JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', verdict: 'pass', score: 3, at }),
        /both verdict and score/,
      ],
      [JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', at }), /no judgment; expected exactly one of/],
      [
        JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', score: '3', at }),
        /score: invalid "3"; expected a finite number/,
      ],
      [
        JSON.stringify({ key: k1, caseId: 'c', annotator: 'a', score: 3, at: 'yesterday' }),
        /at: invalid "yesterday"/,
      ],
      [JSON.stringify({ key: k1, caseId: 'c', annotator: '', score: 3, at }), /annotator: invalid ""/],
    ];
    for (const [line, message] of cases) {
      writeFileSync(file, `${good}\n${line}\n`);
      const e = errorOf(() => readAnnotations(file, 'bad.jsonl'));
      expect(e.message).toMatch(message);
      expect(e.info).toMatchObject({ file: 'bad.jsonl', line: 2 });
      expect(e.exitCode).toBe(2);
    }
  });

  it('the key hashes the exact output, the case and the prompt version', () => {
    expect(k1).toMatch(/^[0-9a-f]{64}$/);
    expect(annotationKey('Yes, within 30 days.', 'refund', 'v1')).toBe(k1);
    expect(annotationKey('Yes, within 30 days. ', 'refund', 'v1')).not.toBe(k1);
    expect(annotationKey('Yes, within 30 days.', 'refund2', 'v1')).not.toBe(k1);
    expect(annotationKey('Yes, within 30 days.', 'refund', 'v2')).not.toBe(k1);
  });
});
