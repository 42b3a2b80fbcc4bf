import { describe, expect, it } from 'vitest';
import { type ReviewAction, type ReviewItem, type ReviewSummary, SuiteReviewer } from './suite-reviewer.ts';

const items: ReviewItem[] = [
  { id: 'a', raw: { id: 'a', review: 'unreviewed', vars: { message: 'first \x1b[2J' } } },
  { id: 'b', raw: { id: 'b', review: 'unreviewed', vars: { message: 'second' } } },
  { id: 'c', raw: { id: 'c', review: 'unreviewed', vars: { message: 'third' } } },
];

function session(
  edit: (i: ReviewItem) => Record<string, unknown> | undefined = () => undefined,
  failOn?: string,
) {
  const actions: ReviewAction[] = [];
  const screens: string[] = [];
  const ends: ReviewSummary[] = [];
  const r = new SuiteReviewer({
    items,
    shownFile: 's.yaml',
    apply: (a) => {
      if (a.id === failOn) throw new Error('disk full');
      actions.push(a);
    },
    edit,
    write: (t) => screens.push(t),
    onEnd: (s) => ends.push(s),
  });
  r.start();
  return { r, actions, screens, ends, last: () => screens.at(-1) ?? '' };
}

describe('SuiteReviewer', () => {
  it('accept, reject and skip write at once and move on; the end summarises', () => {
    const s = session();
    expect(s.last()).toContain('1/3');
    expect(s.last()).toContain('case a');
    s.r.feed('a');
    expect(s.actions).toEqual([{ kind: 'accept', id: 'a' }]);
    expect(s.last()).toContain('2/3');
    s.r.feed('r');
    s.r.feed('s');
    expect(s.actions).toEqual([
      { kind: 'accept', id: 'a' },
      { kind: 'reject', id: 'b' },
    ]);
    expect(s.ends).toEqual([{ accepted: 1, rejected: 1, edited: 0, left: 1, total: 3, quit: false }]);
    expect(s.r.isEnded).toBe(true);
  });

  it('escapes case text: no control characters reach the terminal', () => {
    const s = session();
    const body = s.last().slice('\x1b[2J\x1b[H'.length);
    expect(body).not.toContain('\x1b');
  });

  it('edit replaces the case and shows it again under its new id; accept then uses that id', () => {
    const s = session((i) => ({ ...i.raw, id: 'a2', vars: { message: 'better' } }));
    s.r.feed('e');
    expect(s.actions).toEqual([
      { kind: 'replace', id: 'a', raw: { id: 'a2', review: 'unreviewed', vars: { message: 'better' } } },
    ]);
    expect(s.last()).toContain('case a2');
    expect(s.last()).toContain('better');
    expect(s.last()).toContain('edited and saved');
    s.r.feed('a');
    expect(s.actions.at(-1)).toEqual({ kind: 'accept', id: 'a2' });
    s.r.feed('q');
    expect(s.ends[0]).toMatchObject({ accepted: 1, edited: 1, left: 2, quit: true });
  });

  it('an invalid edit or a failed write is shown and the case stays', () => {
    const bad = session(() => {
      throw new Error('vars: expected a mapping');
    });
    bad.r.feed('e');
    expect(bad.actions).toEqual([]);
    expect(bad.last()).toContain('not saved: vars: expected a mapping');
    expect(bad.last()).toContain('case a');
    const failing = session(undefined, 'a');
    failing.r.feed('a');
    expect(failing.last()).toContain('not saved: disk full');
    expect(failing.last()).toContain('1/3');
    failing.r.feed('x');
    expect(failing.last()).toContain('unknown key "x"');
  });

  it('nothing to review ends at once', () => {
    const ends: ReviewSummary[] = [];
    new SuiteReviewer({
      items: [],
      shownFile: 's',
      apply: () => {},
      edit: () => undefined,
      write: () => {},
      onEnd: (x) => ends.push(x),
    }).start();
    expect(ends).toEqual([{ accepted: 0, rejected: 0, edited: 0, left: 0, total: 0, quit: false }]);
  });
});
