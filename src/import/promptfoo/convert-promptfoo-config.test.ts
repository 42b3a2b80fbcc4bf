import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertPromptfooConfig } from './convert-promptfoo-config.ts';
import { toLiquid } from './convert-prompts.ts';

function convert(text: string, files: Record<string, string> = {}) {
  return convertPromptfooConfig({
    text,
    file: 'promptfooconfig.yaml',
    readFile: (p) => {
      const f = files[p];
      if (f === undefined) throw new Error(`no such file ${p}`);
      return f;
    },
  });
}

function suiteOf(r: ReturnType<typeof convert>) {
  const [, text] = Object.entries(r.files).find(([f]) => f.startsWith('suites/')) ?? [];
  return parse(text as string) as {
    name: string;
    defaults?: { checks: unknown[] };
    cases: Record<string, unknown>[];
  };
}

/** One test with one assertion; returns the case's checks and the notes. */
function one(assertion: Record<string, unknown>, vars: Record<string, unknown> = { q: 'hi' }) {
  const r = convert(
    `prompts: ["{{q}}"]\nproviders: [echo]\ntests:\n  - vars: ${JSON.stringify(vars)}\n    assert: [${JSON.stringify(assertion)}]\n`,
  );
  return { checks: suiteOf(r).cases[0]?.checks as Record<string, unknown>[] | undefined, notes: r.notes, r };
}

describe('convertPromptfooConfig: assertions', () => {
  it.each([
    [
      { type: 'equals', value: 'Paris' },
      { type: 'equals', value: 'Paris' },
    ],
    [
      { type: 'contains', value: 'refund' },
      { type: 'contains', value: 'refund' },
    ],
    [
      { type: 'icontains', value: 'Refund' },
      { type: 'icontains', value: 'Refund' },
    ],
    [
      { type: 'not-icontains', value: 'as an ai' },
      { type: 'icontains', value: 'as an ai', not: true },
    ],
    [
      { type: 'contains-any', value: 'a, b' },
      { type: 'contains', value: ['a', 'b'], mode: 'any' },
    ],
    [
      { type: 'contains-all', value: ['a', 'b'] },
      { type: 'contains', value: ['a', 'b'], mode: 'all' },
    ],
    [
      { type: 'icontains-any', value: ['A'] },
      { type: 'icontains', value: ['A'], mode: 'any' },
    ],
    [
      { type: 'not-contains-any', value: ['x', 'y'] },
      { type: 'not-contains', value: ['x', 'y'] },
    ],
    [
      { type: 'not-contains', value: 'sorry' },
      { type: 'not-contains', value: 'sorry' },
    ],
    [
      { type: 'regex', value: '^\\d+$' },
      { type: 'regex', pattern: '^\\d+$' },
    ],
    [
      { type: 'not-regex', value: 'error' },
      { type: 'regex', pattern: 'error', not: true },
    ],
    [
      { type: 'starts-with', value: 'Dear' },
      { type: 'starts-with', value: 'Dear' },
    ],
    [{ type: 'is-json' }, { type: 'is-json' }],
    [
      { type: 'is-json', value: { type: 'object' } },
      { type: 'json-schema', schema: { type: 'object' } },
    ],
    [{ type: 'is-valid-openai-tools-call' }, { type: 'is-valid-tool-call' }],
    [{ type: 'is-refusal' }, { type: 'refused' }],
    [{ type: 'not-is-refusal' }, { type: 'not-refused' }],
    [
      { type: 'word-count', value: { min: 3, max: 9 } },
      { type: 'length', unit: 'words', min: 3, max: 9 },
    ],
    [
      { type: 'levenshtein', value: 'hello' },
      { type: 'levenshtein', value: 'hello', max: 5 },
    ],
    [
      { type: 'levenshtein', value: 'hello', threshold: 2 },
      { type: 'levenshtein', value: 'hello', max: 2 },
    ],
    [
      { type: 'rouge-n', value: 'the cat' },
      { type: 'rouge-l', value: 'the cat', threshold: 0.75 },
    ],
    [
      { type: 'bleu', value: 'the cat', threshold: 0.3 },
      { type: 'bleu', value: 'the cat', threshold: 0.3 },
    ],
    [
      { type: 'latency', threshold: 500 },
      { type: 'latency', max: 500 },
    ],
    [
      { type: 'cost', threshold: 0.002 },
      { type: 'cost', max: 0.002 },
    ],
    [
      { type: 'javascript', value: 'output.length <= 120' },
      { type: 'length', unit: 'chars', max: 120 },
    ],
    [
      { type: 'javascript', value: "!output.includes('sorry')" },
      { type: 'not-contains', value: 'sorry' },
    ],
    [
      { type: 'javascript', value: '/^yes/i.test(output)' },
      { type: 'regex', pattern: '^yes', flags: 'i' },
    ],
    [
      { type: 'contains', value: 'x', metric: 'tone' },
      { type: 'contains', value: 'x', name: 'tone' },
    ],
  ])('%j → %j', (assertion, check) => {
    const { checks } = one(assertion);
    expect(checks).toEqual([check]);
  });

  it('fills vars that name other vars, as promptfoo resolves them', () => {
    const r = convert(
      'prompts: ["{{greeting}}"]\nproviders: [echo]\ntests:\n  - vars: { name: Ada, greeting: "Hi {{name}}" }\n',
    );
    expect(suiteOf(r).cases[0]?.vars).toEqual({ name: 'Ada', greeting: 'Hi Ada' });
  });

  it('fills {{ vars }} in values from the test, as promptfoo renders them', () => {
    expect(one({ type: 'contains', value: 'Hi {{name}}' }, { q: 'x', name: 'Ada' }).checks).toEqual([
      { type: 'contains', value: 'Hi Ada' },
    ]);
  });

  it.each([
    ['similar', 'embedding'],
    ['perplexity', 'log-probabilities'],
    ['python', 'custom check'],
    ['select-best', 'pairwise'],
    ['is-xml', 'XML'],
    ['moderation', 'moderation'],
    ['no-such-type', 'unknown assertion type'],
  ])('lists %s as not converted, with the reason', (type, reason) => {
    const { checks, notes } = one({ type, value: 'x' });
    expect(checks).toBeUndefined();
    expect(notes).toEqual([
      expect.objectContaining({ kind: 'not-converted', what: type, reason: expect.stringContaining(reason) }),
    ]);
  });

  it('lists JavaScript beyond simple expressions, and assertions with a transform', () => {
    const code = one({ type: 'javascript', value: 'const x = JSON.parse(output); return x.ok;' });
    expect(code.checks).toBeUndefined();
    expect(code.notes[0]).toMatchObject({
      kind: 'not-converted',
      reason: expect.stringContaining('custom check'),
    });
    const t = one({ type: 'contains', value: 'a', transform: 'output.trim()' });
    expect(t.notes[0]).toMatchObject({ what: 'contains', reason: expect.stringContaining('transform') });
  });

  it('a test threshold becomes a weighted check carrying the weights; weight 0 is dropped', () => {
    const r = convert(`prompts: ["{{q}}"]
providers: [echo]
tests:
  - vars: { q: hi }
    threshold: 0.7
    assert:
      - { type: contains, value: a, weight: 3 }
      - { type: icontains, value: b }
      - { type: equals, value: c, weight: 0 }
`);
    expect(suiteOf(r).cases[0]?.checks).toEqual([
      {
        type: 'weighted',
        threshold: 0.7,
        checks: [
          { type: 'contains', value: 'a', weight: 3 },
          { type: 'icontains', value: 'b' },
        ],
      },
    ]);
    expect(r.notes).toEqual([
      expect.objectContaining({ what: 'equals', reason: expect.stringContaining('weight 0') }),
    ]);
  });

  it('assert-set becomes all, or weighted with its threshold', () => {
    expect(
      one({
        type: 'assert-set',
        assert: [
          { type: 'contains', value: 'a' },
          { type: 'regex', value: 'b' },
        ],
      }).checks,
    ).toEqual([
      {
        type: 'all',
        checks: [
          { type: 'contains', value: 'a' },
          { type: 'regex', pattern: 'b' },
        ],
      },
    ]);
    expect(
      one({ type: 'assert-set', threshold: 0.5, assert: [{ type: 'contains', value: 'a', weight: 2 }] })
        .checks,
    ).toEqual([{ type: 'weighted', threshold: 0.5, checks: [{ type: 'contains', value: 'a', weight: 2 }] }]);
  });
});

describe('convertPromptfooConfig: judges', () => {
  const config = `prompts: ["{{q}}"]
providers:
  - id: openai:chat:gpt-4o-mini
defaultTest:
  options:
    provider: anthropic:messages:claude-3-5-sonnet-latest
tests:
  - vars: { q: capital of France }
    assert:
      - { type: llm-rubric, value: Names Paris as the capital. }
      - { type: factuality, value: The capital of France is Paris. }
      - { type: model-graded-closedqa, value: Mentions a city }
      - { type: g-eval, value: Coherent and correct, threshold: 0.5 }
  - vars: { q: capital of Spain }
    assert:
      - { type: llm-rubric, value: Names Paris as the capital. }
`;
  it('writes one judge file per distinct rubric, graded by the converted grader provider', () => {
    const r = convert(config);
    const judges = Object.entries(r.files).filter(([f]) => f.startsWith('judges/'));
    expect(judges).toHaveLength(4);
    const rubric = judges.find(([, t]) => t.includes('Names Paris')) as [string, string];
    expect(rubric[1]).toMatch(/kind: rubric\nscale: pass-fail\nmodel: anthropic:claude-3-5-sonnet-latest/);
    const geval = judges.find(([, t]) => t.includes('Coherent')) as [string, string];
    expect(geval[1]).toContain('scale: 1-5');
    expect(geval[1]).toContain('passThreshold: 3');
    const reference = judges.find(([, t]) => t.includes('kind: reference')) as [string, string];
    expect(reference[1]).toContain('reference answer');
    const suite = suiteOf(r);
    expect(suite.cases[0]?.expected).toBe('The capital of France is Paris.');
    expect(JSON.stringify(suite.cases[0]?.checks)).toContain(`../${rubric[0]}`);
    // The grader is added to models (judges need a configured model), and that is noted.
    expect(parse(r.files['assay.yaml'] as string).models).toEqual([
      'openai:gpt-4o-mini',
      'anthropic:claude-3-5-sonnet-latest',
    ]);
    expect(r.notes.some((n) => n.what.startsWith('grader anthropic'))).toBe(true);
  });

  it('without a grader, judges use the first converted model and the note says so', () => {
    const r = convert(
      `prompts: ["{{q}}"]\nproviders: [openai:gpt-4o-mini]\ntests:\n  - vars: { q: x }\n    assert: [{ type: llm-rubric, value: Polite }]\n`,
    );
    const [, judge] = Object.entries(r.files).find(([f]) => f.startsWith('judges/')) as [string, string];
    expect(judge).toContain('model: openai:gpt-4o-mini');
    expect(r.notes).toEqual([expect.objectContaining({ what: 'default grader' })]);
  });
});

describe('convertPromptfooConfig: prompts, providers, tests', () => {
  it('converts inline, labelled, file, multi-prompt and chat prompts, with typed variables', () => {
    const r = convert(
      `prompts:
  - "Say {{text}} {{n}} times"
  - file://p.txt
  - file://chat.json
  - { raw: "Labelled {{text}}", label: Short One }
  - file://gen.py:make
providers: [echo]
tests:
  - vars: { text: hi, n: 3 }
  - vars: { text: yo, n: 4 }
`,
      {
        'p.txt': 'A: {{ text }}\n---\nB: {{ text | upper }} {{ items | dump }}',
        'chat.json': '[{"role":"system","content":"Be terse."},{"role":"user","content":"{{text}}"}]',
      },
    );
    expect(
      Object.keys(r.files)
        .filter((f) => f.startsWith('prompts/'))
        .sort(),
    ).toEqual([
      'prompts/chat.prompt.md',
      'prompts/p-1.prompt.md',
      'prompts/p-2.prompt.md',
      'prompts/prompt-1.prompt.md',
      'prompts/short-one.prompt.md',
    ]);
    expect(r.files['prompts/prompt-1.prompt.md']).toContain('variables:\n  text: string\n  n: number\n');
    expect(r.files['prompts/chat.prompt.md']).toContain('# system\nBe terse.\n\n# user\n{{text}}');
    // nunjucks `dump` is Liquid's `json`; `items`, set by no test, gets an empty default.
    expect(r.files['prompts/p-2.prompt.md']).toContain('B: {{ text | upcase }} {{ items | json }}');
    expect(r.files['prompts/p-2.prompt.md']).toMatch(/items:\n {4}type: string\n {4}default: ""/);
    expect(r.notes).toEqual([expect.objectContaining({ kind: 'not-converted', what: 'file://gen.py:make' })]);
  });

  it('maps providers Assay supports and lists the others', () => {
    const r = convert(`prompts: [hi]
providers:
  - id: openai:chat:gpt-4o-mini
    config: { temperature: 0.3, max_tokens: 99, apiKeyEnvar: MY_KEY }
  - anthropic:messages:claude-3-5-haiku-latest
  - vertex:gemini-1.5-pro
  - google:gemini-2.0-flash
  - id: openai:chat:llama3
    config: { apiBaseUrl: "http://127.0.0.1:8080/v1" }
  - echo
  - bedrock:anthropic.claude-3-haiku
  - ollama:chat:llama3
tests: [{ vars: {} }]
`);
    const models = parse(r.files['assay.yaml'] as string).models;
    expect(models).toEqual([
      { id: 'openai:gpt-4o-mini', apiKeyEnv: 'MY_KEY', settings: { temperature: 0.3, maxTokens: 99 } },
      'anthropic:claude-3-5-haiku-latest',
      'google:gemini-1.5-pro',
      'google:gemini-2.0-flash',
      { id: 'openai-compatible:llama3', baseUrl: 'http://127.0.0.1:8080/v1' },
      'fake:echo',
    ]);
    expect(r.notes.filter((n) => n.kind === 'not-converted').map((n) => n.what)).toEqual([
      'bedrock:anthropic.claude-3-haiku',
      'ollama:chat:llama3',
    ]);
    expect(r.notes.find((n) => n.what === 'vertex:gemini-1.5-pro')?.reason).toMatch(
      /GOOGLE_GENERATIVE_AI_API_KEY/,
    );
  });

  it('reads CSV tests with the __expected shorthand, defaultTest vars and asserts, and expands array vars', () => {
    const r = convert(
      `prompts: ["{{q}} {{lang}}"]
providers: [echo]
defaultTest:
  vars: { lang: en }
  assert: [{ type: not-icontains, value: sorry }]
tests:
  - file://tests.csv
  - description: Two languages
    vars: { q: hello, lang: [en, fr] }
`,
      {
        'tests.csv':
          'q,__expected,__expected2,__description\nWhat is 2+2?,contains:4,not-contains:5,Sum\nCapital of France?,grade:Names Paris,,\nSay hi,hi there,,\n',
      },
    );
    const suite = suiteOf(r);
    expect(suite.defaults?.checks).toEqual([{ type: 'icontains', value: 'sorry', not: true }]);
    expect(suite.cases.map((c) => c.id)).toEqual([
      'sum',
      'row-2',
      'row-3',
      'two-languages',
      'two-languages-2',
    ]);
    expect(suite.cases[0]).toMatchObject({
      vars: { q: 'What is 2+2?', lang: 'en' },
      checks: [
        { type: 'contains', value: '4' },
        { type: 'not-contains', value: '5' },
      ],
    });
    expect(JSON.stringify(suite.cases[1]?.checks)).toContain('"type":"judge"');
    expect(suite.cases[2]?.checks).toEqual([{ type: 'equals', value: 'hi there' }]);
    expect(suite.cases.slice(3).map((c) => (c.vars as { lang: string }).lang)).toEqual(['en', 'fr']);
    // echo cannot grade: the rubric's judge gets promptfoo's default grader vendor, added to models.
    expect(r.files['IMPORT-NOTES.md']).toContain(
      'Imported from promptfoo config `promptfooconfig.yaml`: 1 prompts, 2 models, 5 cases',
    );
    expect(r.files['IMPORT-NOTES.md']).toMatch(/default grader.*judges use openai:gpt-4o-mini/);
  });

  it('bad input is a clear error naming the file (exit 2)', () => {
    expect(() => convert('prompts: [unclosed')).toThrow(
      /promptfooconfig\.yaml:1:\d+: invalid YAML.*expected a promptfoo config/,
    );
    expect(() => convert('providers: [echo]')).toThrow(/promptfooconfig\.yaml: prompts: missing `prompts`/);
    expect(() => convert('- a\n- b')).toThrow(/not a promptfoo config/);
    try {
      convert('prompts: [file://missing.txt]');
    } catch (e) {
      expect((e as { exitCode: number }).exitCode).toBe(2);
      expect((e as Error).message).toMatch(/no prompt could be converted.*cannot read the file/);
    }
  });
});

describe('toLiquid', () => {
  it.each([
    ['{{ name | upper }}', '{{ name | upcase }}'],
    ["{{ name | default('friend') }}", "{{ name | default: 'friend' }}"],
    ['{{ doc | dump }} {{ html | safe }}', '{{ doc | json }} {{ html }}'],
    ['{{ items | length }} and {% if x %}y{% endif %}', '{{ items | size }} and {% if x %}y{% endif %}'],
  ])('%s → %s', (nunjucks, liquid) => {
    expect(toLiquid(nunjucks)).toBe(liquid);
  });
});
