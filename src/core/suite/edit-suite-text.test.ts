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

describe('editSuiteText (safety)', () => {
  it('keeps CRLF line endings', () => {
    const text = 'cases:\r\n  - id: a\r\n    vars: {q: x}\r\n';
    const out = editSuiteText(
      text,
      's.yaml',
      [{ id: 'a', set: { split: 'dev' } }],
      [{ id: 'b', vars: { q: 'y' } }],
    );
    expect(out).toBe(
      'cases:\r\n  - id: a\r\n    vars: {q: x}\r\n    split: dev\r\n  - id: b\r\n    vars:\r\n      q: y\r\n',
    );
  });

  it('refuses an edit that would make the suite invalid', () => {
    const text = 'cases:\n  - id: a\n    vars: {q: x}\n';
    expect(() => editSuiteText(text, 's.yaml', [{ id: 'a', replace: { id: 'a', chekcs: [] } }])).toThrow(
      /did you mean 'checks'/,
    );
    expect(() => editSuiteText(text, 's.yaml', [], [{ id: 'a', vars: {} }])).toThrow(/duplicate case id 'a'/);
  });
});

describe('rawSuiteCases', () => {
  it('gives each case as written, with the id it parses to', async () => {
    const { rawSuiteCases } = await import('./raw-suite-cases.ts');
    const yaml = 'defaults:\n  checks: [is-json]\ncases:\n  - vars: {q: x}\n    review: unreviewed\n';
    const [only] = rawSuiteCases(yaml, 's.yaml');
    expect(only?.id).toMatch(/^c-[0-9a-f]{10}$/);
    expect(only?.raw).toEqual({ vars: { q: 'x' }, review: 'unreviewed' });
    expect(rawSuiteCases('{"id": 1, "vars": {}}\n', 's.jsonl')).toEqual([
      { id: '1', raw: { id: 1, vars: {} } },
    ]);
    expect(rawSuiteCases('id,q,tags\na,x,"g1;g2"\n', 's.csv')).toEqual([
      { id: 'a', raw: { id: 'a', tags: ['g1', 'g2'], vars: { q: 'x' } } },
    ]);
  });
});

describe('editSuiteText (neighbouring edits)', () => {
  it('a field added to one case and the removal of the next do not collide, in either order', () => {
    const text =
      'cases:\n  - id: a\n    vars: {q: x}\n  - id: b\n    vars: {q: y}\n  - id: c\n    vars: {q: z}\n';
    const want = 'cases:\n  - id: a\n    vars: {q: x}\n    split: dev\n  - id: c\n    vars: {q: z}\n';
    expect(
      editSuiteText(text, 's.yaml', [
        { id: 'a', set: { split: 'dev' } },
        { id: 'b', remove: true },
      ]),
    ).toBe(want);
    expect(
      editSuiteText(text, 's.yaml', [
        { id: 'b', remove: true },
        { id: 'a', set: { split: 'dev' } },
      ]),
    ).toBe(want);
  });
});

describe('editSuiteText (flow lists)', () => {
  it('removing every case of a flow list keeps what follows on its line', () => {
    const text = 'cases: [{id: a, vars: {q: x}}]   # all of them\nname: n\n';
    expect(editSuiteText(text, 's.yaml', [{ id: 'a', remove: true }])).toBe(
      'cases: []   # all of them\nname: n\n',
    );
  });
});
