import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Annotation } from './annotation.ts';

/**
 * Appends annotations to a JSONL file (created with its folder when missing) in one `write` on an
 * O_APPEND descriptor, then fsyncs: concurrent annotators never interleave lines, and a judgment is on
 * disk before the next one is asked for. A file whose last line lacks its newline (a crash mid-write by
 * another tool) gets one first, so the new line never fuses with it.
 */
export function appendAnnotations(path: string, annotations: readonly Annotation[]): void {
  if (annotations.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a+');
  try {
    let text = annotations.map((a) => `${JSON.stringify(orderFields(a))}\n`).join('');
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) text = `\n${text}`;
    }
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A stable field order, so files diff well (undefined fields are left out by JSON.stringify). */
function orderFields(a: Annotation): Annotation {
  return {
    key: a.key,
    runId: a.runId,
    caseId: a.caseId,
    promptVersion: a.promptVersion,
    annotator: a.annotator,
    verdict: a.verdict,
    score: a.score,
    retracted: a.retracted,
    note: a.note,
    at: a.at,
  };
}
