import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssayError } from '../core/errors.ts';
import { openSqliteStore, type SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Annotation } from './annotation.ts';
import { appendAnnotations } from './append-annotations.ts';
import { mirrorAnnotationsFile } from './mirror-annotations-file.ts';

let dir: string;
let file: string;
let store: SqliteStore;
let closed: number;

const line = (over: Partial<Annotation> = {}): Annotation => ({
  key: 'f'.repeat(64),
  caseId: 'c1',
  annotator: 'ana',
  verdict: 'pass',
  at: '2026-01-01T00:00:00.000Z',
  ...over,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-mirror-'));
  file = join(dir, 'annotations', 's.jsonl');
  store = openSqliteStore(join(dir, 'assay.db'));
  closed = 0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, counting closes (the real close runs in afterEach). */
const opener = async () => ({
  ...store,
  close: async () => {
    closed++;
  },
});

describe('mirrorAnnotationsFile', () => {
  it('mirrors the whole file, counts only new lines, and closes the store', async () => {
    appendAnnotations(file, [line(), line({ verdict: 'fail', at: '2026-01-01T00:01:00.000Z' })]);
    const options = { file, shown: 'annotations/s.jsonl', suite: 's', openStore: opener };
    expect(await mirrorAnnotationsFile(options)).toEqual({ ok: true, mirrored: 2 });
    appendAnnotations(file, [line({ annotator: 'bo' })]);
    expect(await mirrorAnnotationsFile(options)).toEqual({ ok: true, mirrored: 1 });
    expect(closed).toBe(2);
    expect((await store.listAnnotations({ suite: 's' })).map((a) => a.annotator)).toEqual([
      'ana',
      'bo',
      'ana',
    ]);
  });

  it('reports, never throws, when the store cannot be opened or the file is malformed', async () => {
    appendAnnotations(file, [line()]);
    const refused = await mirrorAnnotationsFile({
      file,
      shown: 'annotations/s.jsonl',
      suite: 's',
      openStore: async () => {
        throw new AssayError('no run store at /x/assay.db', 2);
      },
    });
    expect(refused).toEqual({ ok: false, error: 'no run store at /x/assay.db' });

    writeFileSync(file, '{"key": "nope"}\n');
    const malformed = await mirrorAnnotationsFile({
      file,
      shown: 'annotations/s.jsonl',
      suite: 's',
      openStore: opener,
    });
    expect(malformed).toMatchObject({
      ok: false,
      error: expect.stringContaining('annotations/s.jsonl:1: key:'),
    });
    expect(closed).toBe(0); // not opened
    expect(await store.listAnnotations()).toEqual([]);
  });
});
