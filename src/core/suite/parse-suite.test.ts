import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import { parseSuite, suiteFormatOf } from './parse-suite.ts';

function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors;
    if (e instanceof ConfigError) return [e];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const YAML = `name: support
description: Support cases
defaults:
  checks:
    - not-refused
cases:
  - id: refund
    category: representative
    tags: [refunds]
    split: dev
    vars:
      message: Can I get my money back?
    checks:
      - contains: refund
      - regex: "30 days?"
      - json-schema: schemas/answer.json
      - type: length
        max: 100
    expected: Yes.
    context:
      - Refunds within 30 days.
      - { id: policy, text: Full refunds only, source: handbook }
  - id: 7
    tags: "a; b,c"
    vars: { message: hi }
    protected: true
    review: accepted
    cluster: greetings
    metadata: { author: sam }
`;

describe('parseSuite (YAML)', () => {
  it('reads cases, merges default checks and expands shorthand', () => {
    const { suite, warnings } = parseSuite(YAML, 'suites/support.yaml');
    expect(warnings).toEqual([]);
    expect(suite.name).toBe('support');
    expect(suite.description).toBe('Support cases');
    expect(suite.defaultChecks).toEqual([{ type: 'not-refused' }]);
    const [a, b] = suite.cases;
    expect(a).toEqual({
      id: 'refund',
      vars: { message: 'Can I get my money back?' },
      checks: [
        { type: 'not-refused' },
        { type: 'contains', value: 'refund' },
        { type: 'regex', pattern: '30 days?' },
        { type: 'json-schema', schema: 'schemas/answer.json' },
        { type: 'length', max: 100 },
      ],
      expected: 'Yes.',
      context: [
        { id: 'doc-1', text: 'Refunds within 30 days.' },
        { id: 'policy', text: 'Full refunds only', source: 'handbook' },
      ],
      category: 'representative',
      tags: ['refunds'],
      split: 'dev',
    });
    expect(b).toMatchObject({
      id: '7',
      tags: ['a', 'b', 'c'],
      protected: true,
      review: 'accepted',
      cluster: 'greetings',
      metadata: { author: 'sam' },
    });
    expect(suite.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records where every case and check was written', () => {
    const { suite, locations } = parseSuite(YAML, 'suites/support.yaml');
    expect(locations.cases.get('refund')).toEqual({ line: 7, field: 'cases[0]' });
    expect(locations.cases.get('7')?.line).toBe(23);
    const checks = suite.cases[0]?.checks ?? [];
    expect(locations.checks.get(checks[0] as never)).toMatchObject({ line: 5, field: 'defaults.checks[0]' });
    expect(locations.checks.get(checks[2] as never)).toMatchObject({
      line: 15,
      column: 9,
      field: 'cases[0].checks[1]',
    });
    // The shared default spec is the same object in every case.
    expect(suite.cases[1]?.checks[0]).toBe(checks[0]);
  });

  it('accepts a bare list of cases and names the suite after its file', () => {
    const { suite } = parseSuite('- id: a\n  vars: { q: 1 }\n- id: b\n', 'suites/smoke.yml');
    expect(suite.name).toBe('smoke');
    expect(suite.cases.map((c) => c.id)).toEqual(['a', 'b']);
    expect(suite.cases[1]).toEqual({ id: 'b', vars: {}, checks: [], tags: [] });
  });

  it('derives a stable id from content when missing, with a warning', () => {
    const text = '- vars: { q: hello }\n- vars: { q: bye }\n';
    const one = parseSuite(text, 's.yaml');
    const two = parseSuite('- vars:\n    q: hello\n', 's.yaml');
    expect(one.suite.cases[0]?.id).toMatch(/^c-[0-9a-f]{10}$/);
    expect(one.suite.cases[0]?.id).toBe(two.suite.cases[0]?.id);
    expect(one.warnings).toHaveLength(2);
    expect(one.warnings[1]).toMatchObject({ file: 's.yaml', line: 2 });
    expect(one.warnings[0]?.message).toContain('has no id');
  });

  it('hashes content: same cases → same hash, any change → new hash', () => {
    const h = (t: string) => parseSuite(t, 's.yaml').suite.hash;
    expect(h('- id: a\n  vars: {x: 1, y: 2}\n')).toBe(h('- vars: {y: 2, x: 1}\n  id: a\n'));
    expect(h('- id: a\n  vars: {x: 1}\n')).not.toBe(h('- id: a\n  vars: {x: 2}\n'));
  });

  it('reports unknown keys, bad values and duplicate ids with lines', () => {
    const errs = errorsOf(() =>
      parseSuite(
        'cases:\n  - id: a\n    chekcs: []\n  - id: b\n    split: train\n    category: adverserial\n  - id: c\n    category: Edge Case\n',
        's.yaml',
      ),
    );
    expect(errs.map((e) => [e.info.line, e.info.field])).toEqual([
      [3, 'cases[0].chekcs'],
      [5, 'cases[1].split'],
      [6, 'cases[1].category'],
      [8, 'cases[2].category'],
    ]);
    expect(errs[0]?.info.hint).toBe("did you mean 'checks'?");
    expect(errs[1]?.info.expected).toBe('one of: dev, test');
    expect(errs[2]?.info.hint).toBe("did you mean 'adversarial'?");
    const dup = errorsOf(() => parseSuite('cases:\n  - id: a\n  - id: b\n  - id: a\n', 's.yaml'));
    expect(dup[0]?.message).toContain("duplicate case id 'a' on lines 2 and 4");
    expect(dup[0]?.info.line).toBe(4);
  });

  it('accepts custom category slugs', () => {
    expect(parseSuite('- id: a\n  category: billing-edge\n', 's.yaml').suite.cases[0]?.category).toBe(
      'billing-edge',
    );
  });

  it('reports malformed checks', () => {
    const errs = errorsOf(() =>
      parseSuite('- id: a\n  checks:\n    - { a: 1, b: 2 }\n    - 5\n    - {}\n', 's.yaml'),
    );
    expect(errs.map((e) => e.info.line)).toEqual([3, 4, 5]);
    expect(errs[0]?.message).toContain("check has no 'type'");
  });

  it('reports an empty or scalar suite', () => {
    expect(errorsOf(() => parseSuite('', 's.yaml'))[0]?.message).toContain('empty');
    expect(errorsOf(() => parseSuite('hello', 's.yaml'))[0]?.message).toContain('list of cases');
    expect(errorsOf(() => parseSuite('x', 's.txt'))[0]?.message).toContain('unknown suite format');
  });
});

describe('parseSuite (JSONL)', () => {
  it('reads one case per line and skips blank lines', () => {
    const { suite, locations } = parseSuite(
      '{"id":"a","vars":{"q":"x"},"checks":[{"contains":"x"}]}\n\n{"id":"b","split":"test"}\n',
      'cases.jsonl',
    );
    expect(suite.cases.map((c) => c.id)).toEqual(['a', 'b']);
    expect(suite.cases[0]?.checks).toEqual([{ type: 'contains', value: 'x' }]);
    expect(locations.cases.get('b')?.line).toBe(3);
  });

  it('reports each bad line by number', () => {
    const errs = errorsOf(() =>
      parseSuite('{"id":"a"}\n{"id": "b", vars: {}}\n{"id":"c","split":"prod"}\n[1]\n', 'cases.jsonl'),
    );
    expect(errs.map((e) => e.info.line)).toEqual([2, 3, 4]);
    expect(errs[0]?.message).toContain('invalid JSON');
    expect(errs[0]?.info.column).toBe(13);
    expect(errs[1]?.info.field).toBe('split');
  });
});

describe('parseSuite (CSV)', () => {
  const CSV = [
    'id,vars.customer,message,expected,category,tags,split,protected,checks,metadata.source',
    'a,Ana,"Where is my order?",Soon,edge,"shipping; status",test,yes,"[{""contains"":""order""}]",email',
    'b,,"multi',
    'line",,,,,,,',
  ].join('\n');

  it('maps columns to case fields and variables', () => {
    const { suite, locations } = parseSuite(CSV, 'cases.csv');
    expect(suite.cases[0]).toEqual({
      id: 'a',
      vars: { customer: 'Ana', message: 'Where is my order?' },
      expected: 'Soon',
      category: 'edge',
      tags: ['shipping', 'status'],
      split: 'test',
      protected: true,
      checks: [{ type: 'contains', value: 'order' }],
      metadata: { source: 'email' },
    });
    expect(suite.cases[1]).toEqual({ id: 'b', vars: { message: 'multi\nline' }, checks: [], tags: [] });
    expect(locations.cases.get('b')?.line).toBe(3);
  });

  it('reports bad JSON in checks, bad values and ragged rows with lines', () => {
    const bad = errorsOf(() => parseSuite('id,q,checks\na,hi,"[{""type"":""contains""]"\n', 'c.csv'));
    expect(bad[0]?.message).toContain("column 'checks' is not valid JSON");
    expect(bad[0]?.info).toMatchObject({ file: 'c.csv', line: 2, field: 'checks' });
    const split = errorsOf(() => parseSuite('id,split\na,dev\nb,prod\n', 'c.csv'));
    expect(split[0]?.info).toMatchObject({ line: 3, field: 'split' });
    const ragged = errorsOf(() => parseSuite('id,q\na,b,c\n', 'c.csv'));
    expect(ragged[0]?.message).toContain('invalid CSV');
    expect(ragged[0]?.info.line).toBe(2);
    expect(errorsOf(() => parseSuite('id,id\na,b\n', 'c.csv'))[0]?.message).toContain(
      "duplicate column 'id'",
    );
  });

  it('warns when a bare column looks like a misspelled reserved column', () => {
    const { warnings, suite } = parseSuite('id,catgory\na,edge\n', 'c.csv');
    expect(suite.cases[0]?.vars).toEqual({ catgory: 'edge' });
    expect(warnings[0]?.message).toContain("did you mean the 'category' column?");
  });
});

describe('suiteFormatOf', () => {
  it('picks the format from the extension', () => {
    expect(['a.yaml', 'a.yml', 'a.json', 'a.jsonl', 'a.ndjson', 'a.CSV', 'a.txt'].map(suiteFormatOf)).toEqual(
      ['yaml', 'yaml', 'yaml', 'jsonl', 'jsonl', 'csv', undefined],
    );
  });
});
