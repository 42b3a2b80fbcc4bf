import { describe, expect, it } from 'vitest';
import { editSuiteText } from './edit-suite-text.ts';
import { parseSuite } from './parse-suite.ts';

const yaml = `# Support suite — keep the comments
name: support
cases:
  # Why: the common question
  - id: a
    category: representative
    tags: [ refunds ]   # odd spacing kept
    vars:
      message: >-
        A long folded question that spans
        two lines.
  - id: b
    split: dev
    vars: { message: "hi" }
  - {id: c, vars: {message: yo}}
# trailing comment
`;

const cases = (text: string, file: string) => parseSuite(text, file).suite.cases;

describe('editSuiteText (YAML)', () => {
  it('sets fields in place or adds them, keeping comments and layout', () => {
    const out = editSuiteText(yaml, 's.yaml', [
      { id: 'a', set: { split: 'test' } },
      { id: 'b', set: { split: 'test' } },
      { id: 'c', set: { split: 'dev' } },
    ]);
    expect(out).toBe(`# Support suite — keep the comments
name: support
cases:
  # Why: the common question
  - id: a
    category: representative
    tags: [ refunds ]   # odd spacing kept
    vars:
      message: >-
        A long folded question that spans
        two lines.
    split: test
  - id: b
    split: test
    vars: { message: "hi" }
  - {id: c, vars: {message: yo}, split: "dev"}
# trailing comment
`);
    expect(cases(out, 's.yaml').map((c) => c.split)).toEqual(['test', 'test', 'dev']);
  });

  it('removes a case with the comment lines above it, replaces and appends', () => {
    const out = editSuiteText(
      yaml,
      's.yaml',
      [
        { id: 'a', remove: true },
        { id: 'b', replace: { id: 'b', vars: { message: 'two\nlines' }, review: 'accepted' } },
      ],
      [{ id: 'd', category: 'edge', tags: ['generated'], review: 'unreviewed', vars: { message: 'new' } }],
    );
    expect(out).not.toContain('Why: the common question');
    expect(out).toContain('# Support suite — keep the comments');
    expect(out).toContain('# trailing comment');
    const got = cases(out, 's.yaml');
    expect(got.map((c) => c.id)).toEqual(['b', 'c', 'd']);
    expect(got[0]).toMatchObject({ vars: { message: 'two\nlines' }, review: 'accepted' });
    expect(got[2]).toMatchObject({ category: 'edge', tags: ['generated'], review: 'unreviewed' });
  });

  it('appends to an empty flow list and to a bare list', () => {
    const empty = editSuiteText('name: x\ncases: []\n', 'x.yaml', [], [{ id: 'n', vars: { q: 'v' } }]);
    expect(cases(empty, 'x.yaml').map((c) => c.id)).toEqual(['n']);
    const bare = editSuiteText('- id: a\n  vars: {q: 1}\n', 'y.yaml', [], [{ id: 'b', vars: { q: 2 } }]);
    expect(bare).toBe('- id: a\n  vars: {q: 1}\n- id: b\n  vars:\n    q: 2\n');
  });

  it('removing every case leaves an empty list, and derived ids address cases', () => {
    const text = 'cases:\n  - vars: {q: one}\n  - vars: {q: two}\n';
    const ids = cases(text, 'z.yaml').map((c) => c.id);
    const out = editSuiteText(
      text,
      'z.yaml',
      ids.map((id) => ({ id, remove: true as const })),
    );
    expect(out).toBe('cases: []\n');
    expect(() => editSuiteText(text, 'z.yaml', [{ id: 'nope', remove: true }])).toThrow(/no case 'nope'/);
  });
});

describe('editSuiteText (JSONL, CSV)', () => {
  it('JSONL: rewrites only the changed lines', () => {
    const text = '{"id": "a", "vars": {"q": "x"}}\n\n{"id": "b", "split": "dev", "vars": {"q": "y"}}\n';
    const out = editSuiteText(
      text,
      's.jsonl',
      [
        { id: 'a', set: { split: 'test' } },
        { id: 'b', set: { split: 'dev' } },
      ],
      [{ id: 'c', vars: { q: 'z' } }],
    );
    expect(out).toBe(
      '{"id":"a","vars":{"q":"x"},"split":"test"}\n\n{"id": "b", "split": "dev", "vars": {"q": "y"}}\n{"id":"c","vars":{"q":"z"}}\n',
    );
  });

  it('CSV: adds a split column, keeps untouched rows byte for byte, quotes new cells', () => {
    const text = 'id,message,category\na,"Hello, world",edge\nb,plain,negative\n';
    const out = editSuiteText(
      text,
      's.csv',
      [
        { id: 'a', set: { split: 'test' } },
        { id: 'b', set: { split: 'dev' } },
      ],
      [
        {
          id: 'c',
          category: 'edge',
          tags: ['generated', 'x'],
          review: 'unreviewed',
          vars: { message: 'say "hi", ok', category: 'var' },
        },
      ],
    );
    const got = cases(out, 's.csv');
    expect(got.map((c) => [c.id, c.split])).toEqual([
      ['a', 'test'],
      ['b', 'dev'],
      ['c', undefined],
    ]);
    expect(got[2]).toMatchObject({
      vars: { message: 'say "hi", ok', category: 'var' },
      tags: ['generated', 'x'],
      review: 'unreviewed',
    });
    expect(out.split('\n')[0]).toBe('id,message,category,split,tags,review,vars.category');
  });

  it('CSV: an edit that leaves a row unchanged keeps its text', () => {
    const text = 'id,q,split\na, spaced ,dev\n';
    expect(editSuiteText(text, 's.csv', [{ id: 'a', set: { split: 'dev' } }])).toBe(text);
  });
});
