import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResultRecord } from '../core/types.ts';
import type { AnnotationItem } from './annotation-item.ts';
import { collectAnnotationItems } from './collect-annotation-items.ts';
import { latestAnnotations } from './latest-annotations.ts';
import { readAnnotations } from './read-annotations.ts';
import { type AnnotatorSummary, TerminalAnnotator } from './terminal-annotator.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-annotator-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function result(caseId: string, output: string | undefined, extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    runId: 'r1',
    prompt: 'p',
    promptVersion: 'v1',
    modelId: 'fake:echo',
    caseId,
    repeat: 0,
    status: output === undefined ? 'error' : 'pass',
    output,
    checks: [{ type: 'icontains', pass: true, reason: 'found' }],
    usage: {},
    cost: 0,
    attempts: 1,
    cached: false,
    createdAt: '2026-01-01T00:00:00Z',
    ...extra,
  } as ResultRecord;
}

async function items(): Promise<AnnotationItem[]> {
  return collectAnnotationItems(
    [
      result('a', 'A'),
      result('a', 'A', { repeat: 1 }),
      result('b', 'B\x1b[2J'),
      result('c', undefined),
      result('d', 'D'),
    ],
    (r) => [
      { role: 'system', content: 'sys' },
      { role: 'user', content: `question ${r.caseId}` },
    ],
  );
}

function session(all: AnnotationItem[], scale: 'pass-fail' | '1-5', done = new Set<string>()) {
  const screens: string[] = [];
  const ends: AnnotatorSummary[] = [];
  const file = join(dir, 'a.jsonl');
  const s = new TerminalAnnotator({
    items: all,
    done,
    annotator: 'ana',
    scale,
    file,
    shownFile: 'a.jsonl',
    write: (t) => screens.push(t),
    onEnd: (x) => ends.push(x),
    now: () => '2026-01-01T00:00:00.000Z',
  });
  return { s, screens, ends, file, last: () => screens.at(-1) ?? '' };
}

describe('collectAnnotationItems', () => {
  it('one item per distinct output of a case; errors left out; input is the last user turn', async () => {
    const got = await items();
    expect(got.map((i) => i.caseId)).toEqual(['a', 'b', 'd']);
    expect(got[0]).toMatchObject({
      input: 'question a',
      output: 'A',
      checks: [{ name: 'icontains', pass: true }],
    });
  });
});

describe('TerminalAnnotator', () => {
  it('1–5 scale: scores, rejects p/f, skip, undo of a skip, a dropped note; escape sequences never drawn', async () => {
    const t = session(await items(), '1-5');
    t.s.start();
    expect(t.last()).toContain('1/3');
    expect(t.last()).toContain('question a');
    t.s.feed('p');
    expect(t.last()).toContain('this session scores 1–5');
    t.s.feed('4');
    expect(t.last()).toContain('2/3');
    expect(t.last()).toContain('B[2J');
    expect(t.last().replace('\x1b[2J\x1b[H', '')).not.toContain('\x1b'); // only the leading clear-screen sequence
    t.s.feed('s');
    expect(t.last()).toContain('3/3');
    t.s.feed('u');
    expect(t.last()).toContain('2/3');
    expect(t.last()).toContain('undone: skip');
    t.s.feed('nabc\x7f\x1b'); // type a note, erase a character, drop it with Esc
    expect(t.last()).not.toContain('note:');
    t.s.feed('\x1b[A'); // arrow key: ignored
    t.s.feed('2');
    t.s.feed('nfine\r5');
    expect(t.ends).toEqual([{ annotated: 3, judged: 3, total: 3, quit: false }]);
    expect(t.s.isEnded).toBe(true);
    const got = readAnnotations(t.file);
    expect(got.map((a) => [a.caseId, a.score, a.note])).toEqual([
      ['a', 4, undefined],
      ['b', 2, undefined],
      ['d', 5, 'fine'],
    ]);
  });

  it('pass-fail: undo of a judgment appends a retraction; done outputs are skipped; nothing left ends at once', async () => {
    const all = await items();
    const t = session(all, 'pass-fail', new Set([all[0]?.key as string]));
    t.s.start();
    expect(t.last()).toContain('2/3');
    t.s.feed('3');
    expect(t.last()).toContain('this session judges pass or fail');
    t.s.feed('fu');
    expect(t.last()).toContain('undone: judgment withdrawn');
    t.s.feed('u');
    expect(t.last()).toContain('nothing to undo');
    t.s.feed('pq');
    expect(t.ends).toEqual([{ annotated: 1, judged: 2, total: 3, quit: true }]);
    expect(readAnnotations(t.file).map((a) => a.verdict ?? 'retracted')).toEqual([
      'fail',
      'retracted',
      'pass',
    ]);
    expect(latestAnnotations(readAnnotations(t.file))).toHaveLength(1);

    const none = session(all, 'pass-fail', new Set(all.map((i) => i.key)));
    none.s.start();
    expect(none.screens).toEqual([]);
    expect(none.ends).toEqual([{ annotated: 0, judged: 3, total: 3, quit: false }]);
  });
});
