import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import type { CaseSpec, CheckContext, CheckOutput, CheckSpec, CompiledCheck, PromptSpec } from '../types.ts';
import { type CheckCompileEnv, compileCheck, knownCheckTypes } from './compile-check.ts';

const prompt: PromptSpec = {
  name: 'support',
  file: 'prompts/support.prompt.md',
  version: 'v1',
  canonical: '',
  settings: {},
  variables: {},
  messages: [],
  outputSchema: {
    type: 'object',
    properties: { answer: { type: 'string' } },
    required: ['answer'],
  },
  tools: [
    {
      name: 'lookup_order',
      parameters: {
        type: 'object',
        properties: { orderId: { type: 'string', pattern: '^A\\d+$' } },
        required: ['orderId'],
        additionalProperties: false,
      },
    },
    { name: 'refund', parameters: { type: 'object', properties: { amount: { type: 'number' } } } },
  ],
};
const ctx: CheckContext = { prompt, messages: [], modelId: 'fake:echo' };
const env: CheckCompileEnv = { where: { file: 'suite.yaml', line: 7, field: 'cases[1].checks[0]' } };

function output(text: string, extra: Partial<CheckOutput> = {}): CheckOutput {
  return { text, toolCalls: [], latencyMs: 120, usage: {}, cost: 0.001, ...extra };
}
function testCase(extra: Partial<CaseSpec> = {}): CaseSpec {
  return { id: 'c1', vars: {}, checks: [], tags: [], ...extra };
}
async function run(
  spec: CheckSpec,
  out: CheckOutput | string,
  tc: CaseSpec = testCase(),
  e: CheckCompileEnv = env,
) {
  return compileCheck(spec, e)(typeof out === 'string' ? output(out) : out, tc, ctx);
}
/** Asserts compiling throws a ConfigError at `field` whose message says what was expected. */
function configError(
  spec: CheckSpec,
  field: string,
  expected: string | RegExp,
  e: CheckCompileEnv = env,
): ConfigError {
  let caught: unknown;
  try {
    compileCheck(spec, e);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const err = caught as ConfigError;
  expect(err.info.field).toBe(field);
  expect(err.info.file).toBe(e.where.file);
  expect(err.info.line).toBe(e.where.line);
  expect(err.message).toContain(field);
  if (typeof expected === 'string') expect(err.info.expected).toContain(expected);
  else expect(err.info.expected).toMatch(expected);
  return err;
}
const F = 'cases[1].checks[0]';

describe('compileCheck: spec validation', () => {
  it('lists the known types', () => {
    const types = knownCheckTypes();
    for (const t of [
      'equals',
      'contains',
      'icontains',
      'not-contains',
      'regex',
      'starts-with',
      'is-json',
      'json-schema',
    ]) {
      expect(types).toContain(t);
    }
    for (const t of [
      'json-path',
      'is-valid-tool-call',
      'length',
      'levenshtein',
      'rouge-l',
      'bleu',
      'refused',
      'not-refused',
    ]) {
      expect(types).toContain(t);
    }
    for (const t of [
      'contains-citation',
      'no-pii',
      'canary-not-leaked',
      'latency',
      'cost',
      'custom',
      'all',
      'any',
      'weighted',
    ]) {
      expect(types).toContain(t);
    }
    expect(types).toEqual([...types].sort());
  });

  it('rejects an unknown type with a did-you-mean hint', () => {
    const err = configError({ type: 'contain', value: 'x' }, `${F}.type`, 'one of:');
    expect(err.problem).toBe("unknown check type 'contain'");
    expect(err.info.hint).toBe("did you mean 'contains'?");
    expect(err.message).toContain("did you mean 'contains'?");
  });

  it('rejects a missing or non-string type', () => {
    configError({ value: 'x' } as unknown as CheckSpec, `${F}.type`, 'a check type');
    configError({ type: 3 } as unknown as CheckSpec, `${F}.type`, 'a check type');
  });

  it('rejects a spec that is not an object', () => {
    configError('contains' as unknown as CheckSpec, F, "an object with a 'type'");
  });

  it('rejects unknown keys with a did-you-mean hint', () => {
    const err = configError(
      { type: 'contains', vaule: 'x' },
      `${F}.vaule`,
      'one of: value, mode, type, name, not, weight',
    );
    expect(err.info.hint).toBe("did you mean 'value'?");
  });

  it('validates the common keys', () => {
    configError({ type: 'is-json', not: 'yes' }, `${F}.not`, 'true or false');
    configError({ type: 'is-json', weight: -1 }, `${F}.weight`, 'a number ≥ 0');
    configError({ type: 'is-json', name: 5 }, `${F}.name`, 'a non-empty string');
  });

  it('works without a field or location', async () => {
    expect(() => compileCheck({ type: 'regex', pattern: '(' }, { where: {} })).toThrow(
      /^pattern: invalid regular expression/,
    );
    expect((await compileCheck({ type: 'is-json' }, { where: {} })(output('{}'), testCase(), ctx)).pass).toBe(
      true,
    );
  });
});

describe('equals', () => {
  it('passes on equal text, trimmed by default', async () => {
    expect((await run({ type: 'equals', value: 'Paris' }, '  Paris\n')).pass).toBe(true);
  });
  it('fails on different text and says what it got', async () => {
    const v = await run({ type: 'equals', value: 'Paris' }, 'paris');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("expected 'Paris', got 'paris'");
  });
  it('honours trim: false and ignoreCase: true', async () => {
    expect((await run({ type: 'equals', value: 'Paris', trim: false }, ' Paris')).pass).toBe(false);
    expect((await run({ type: 'equals', value: 'Paris', ignoreCase: true }, 'PARIS')).pass).toBe(true);
  });
  it('defaults to the case expected', async () => {
    expect((await run({ type: 'equals' }, 'yes', testCase({ expected: 'yes' }))).pass).toBe(true);
    expect((await run({ type: 'equals' }, 'no', testCase({ expected: 'yes' }))).pass).toBe(false);
    await expect(run({ type: 'equals' }, 'no')).rejects.toThrow(
      /no 'value' in the check and no 'expected' in case 'c1'/,
    );
  });
  it('compares non-string values as parsed JSON', async () => {
    const value = { total: 42, items: ['a', 'b'] };
    expect((await run({ type: 'equals', value }, '```json\n{"items":["a","b"],"total":42}\n```')).pass).toBe(
      true,
    );
    expect((await run({ type: 'equals', value }, '{"items":["b","a"],"total":42}')).pass).toBe(false);
    expect((await run({ type: 'equals', value: 42 }, '42')).pass).toBe(true);
    const notJson = await run({ type: 'equals', value: 42 }, 'forty-two');
    expect(notJson.pass).toBe(false);
    expect(notJson.reason).toContain('output is not JSON');
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'equals', value: 'x', trim: 'yes' }, `${F}.trim`, 'true or false');
    configError({ type: 'equals', value: 'x', ignoreCase: 1 }, `${F}.ignoreCase`, 'true or false');
  });
});

describe('contains / icontains / not-contains', () => {
  it('contains: passes when every value is present (mode all)', async () => {
    const v = await run({ type: 'contains', value: ['refund', 'order'] }, 'Your refund for order A1');
    expect(v.pass).toBe(true);
  });
  it('contains: fails naming the missing value', async () => {
    const v = await run({ type: 'contains', value: 'refund' }, 'Your order shipped');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("expected to contain 'refund' (missing)");
    const two = await run({ type: 'contains', value: ['refund', 'order', 'days'] }, 'order');
    expect(two.reason).toBe("expected to contain 'refund', 'days' (missing)");
  });
  it('contains: is case-sensitive; mode any needs one value', async () => {
    expect((await run({ type: 'contains', value: 'Refund' }, 'refund')).pass).toBe(false);
    expect((await run({ type: 'contains', value: ['x', 'refund'], mode: 'any' }, 'refund')).pass).toBe(true);
    const none = await run({ type: 'contains', value: ['x', 'y'], mode: 'any' }, 'refund');
    expect(none.pass).toBe(false);
    expect(none.reason).toBe("expected to contain any of 'x', 'y' (none found)");
  });
  it('contains: rejects a malformed spec', () => {
    configError({ type: 'contains' }, `${F}.value`, 'a non-empty string or a list of non-empty strings');
    configError({ type: 'contains', value: [] }, `${F}.value`, 'a non-empty string or a list');
    configError({ type: 'contains', value: ['a', 3] }, `${F}.value[1]`, 'a non-empty string');
    configError({ type: 'contains', value: 'a', mode: 'some' }, `${F}.mode`, 'one of: all, any');
    const err = configError({ type: 'contains', value: 42 }, `${F}.value`, 'a non-empty string');
    expect(err.message).toContain('42');
  });
  it('icontains: ignores case', async () => {
    expect((await run({ type: 'icontains', value: 'REFUND' }, 'your refund')).pass).toBe(true);
    const v = await run({ type: 'icontains', value: ['refund', 'Days'], mode: 'all' }, 'REFUND soon');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("expected to contain 'Days' (missing)");
  });
  it('icontains: rejects a malformed spec', () => {
    configError({ type: 'icontains', value: '' }, `${F}.value`, 'a non-empty string');
  });
  it('not-contains: passes when none is present, fails on any', async () => {
    expect((await run({ type: 'not-contains', value: ['password', 'secret'] }, 'all good')).pass).toBe(true);
    const v = await run({ type: 'not-contains', value: ['password', 'secret'] }, 'the secret is out');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("contains forbidden 'secret'");
  });
  it('not-contains: rejects a malformed spec (no mode key)', () => {
    configError({ type: 'not-contains' }, `${F}.value`, 'a non-empty string');
    configError({ type: 'not-contains', value: 'x', mode: 'any' }, `${F}.mode`, 'one of: value, type');
  });
});

describe('regex', () => {
  it('passes on a match and shows it', async () => {
    const v = await run({ type: 'regex', pattern: 'order [A-Z]\\d+', flags: 'i' }, 'Your ORDER a123 is here');
    expect(v.pass).toBe(true);
    expect(v.reason).toBe("matches /order [A-Z]\\d+/i: 'ORDER a123'");
  });
  it('fails without a match', async () => {
    const v = await run({ type: 'regex', pattern: '^\\d+$' }, 'abc');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('does not match /^\\d+$/');
  });
  it('is not stateful with the g flag', async () => {
    const check = compileCheck({ type: 'regex', pattern: 'a', flags: 'g' }, env);
    for (let i = 0; i < 3; i++) expect((await check(output('a'), testCase(), ctx)).pass).toBe(true);
  });
  it('rejects an invalid pattern with the engine message', () => {
    const err = configError(
      { type: 'regex', pattern: '(abc' },
      `${F}.pattern`,
      'a JavaScript regular expression',
    );
    expect(err.problem).toBe('invalid regular expression: Unterminated group');
    expect(err.message).toBe(
      'suite.yaml:7: cases[1].checks[0].pattern: invalid regular expression: Unterminated group; expected a JavaScript regular expression',
    );
  });
  it('rejects bad flags and a missing pattern', () => {
    configError({ type: 'regex', pattern: 'a', flags: 'q' }, `${F}.flags`, 'distinct letters');
    configError({ type: 'regex', pattern: 'a', flags: 'ii' }, `${F}.flags`, 'distinct letters');
    configError({ type: 'regex' }, `${F}.pattern`, 'a JavaScript regular expression');
  });
});

describe('starts-with', () => {
  it('passes ignoring leading whitespace', async () => {
    expect((await run({ type: 'starts-with', value: 'Dear' }, '\n Dear customer')).pass).toBe(true);
  });
  it('fails otherwise', async () => {
    const v = await run({ type: 'starts-with', value: 'Dear' }, 'Hi customer');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("expected to start with 'Dear', got 'Hi customer'");
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'starts-with', value: ['a'] }, `${F}.value`, 'a non-empty string');
  });
});

describe('is-json', () => {
  it('passes on JSON and on a single ```json block', async () => {
    expect((await run({ type: 'is-json' }, '{"a": 1}')).pass).toBe(true);
    expect((await run({ type: 'is-json' }, '```json\n[1, 2]\n```')).pass).toBe(true);
    expect((await run({ type: 'is-json' }, '```\n"x"\n```')).pass).toBe(true);
  });
  it('fails on prose, prose around a block and empty output', async () => {
    const v = await run({ type: 'is-json' }, 'Sure! {"a": 1}');
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^not valid JSON: /);
    expect((await run({ type: 'is-json' }, 'Here:\n```json\n{}\n```')).pass).toBe(false);
    expect((await run({ type: 'is-json' }, '')).pass).toBe(false);
  });
  it('rejects unknown keys', () => {
    configError({ type: 'is-json', schema: {} }, `${F}.schema`, 'one of: type, name, not, weight');
  });
});

describe('json-schema', () => {
  const schema = {
    type: 'object',
    properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 }, email: { format: 'email' } },
    required: ['sku', 'qty'],
  };
  it('passes on a valid document (draft-07 with formats)', async () => {
    expect((await run({ type: 'json-schema', schema }, '{"sku":"A1","qty":2,"email":"a@b.co"}')).pass).toBe(
      true,
    );
  });
  it('fails with the first ajv errors in the reason', async () => {
    const v = await run({ type: 'json-schema', schema }, '{"sku":5,"qty":0,"email":"nope"}');
    expect(v.pass).toBe(false);
    expect(v.reason).toContain(
      'schema violation: /sku must be string; /qty must be >= 1; /email must match format "email"',
    );
    const notJson = await run({ type: 'json-schema', schema }, 'nope');
    expect(notJson.reason).toMatch(/^not valid JSON/);
  });
  it('supports draft 2020-12 via $schema', async () => {
    const s2020 = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'array',
      prefixItems: [{ type: 'number' }, { type: 'string' }],
      items: false,
    };
    expect((await run({ type: 'json-schema', schema: s2020 }, '[1, "a"]')).pass).toBe(true);
    expect((await run({ type: 'json-schema', schema: s2020 }, '[1, "a", 3]')).pass).toBe(false);
  });
  it("falls back to the prompt's output schema", async () => {
    expect((await run({ type: 'json-schema' }, '{"answer":"yes"}')).pass).toBe(true);
    const v = await run({ type: 'json-schema' }, '{"reply":"yes"}');
    expect(v.pass).toBe(false);
    expect(v.reason).toContain("must have required property 'answer'");
  });
  it('rejects an invalid schema at compile time', () => {
    const err = configError(
      { type: 'json-schema', schema: { type: 'strin' } },
      `${F}.schema`,
      'a JSON Schema object',
    );
    expect(err.problem).toMatch(/^invalid JSON Schema: /);
    configError({ type: 'json-schema', schema: 'schema.json' }, `${F}.schema`, 'a JSON Schema object');
  });
});

describe('json-path', () => {
  const doc = '{"order":{"items":[{"sku":"A-1","qty":2}],"weird key":true,"note":null}}';
  it('passes when the value at the path equals', async () => {
    expect((await run({ type: 'json-path', path: '$.order.items[0].sku', equals: 'A-1' }, doc)).pass).toBe(
      true,
    );
    expect((await run({ type: 'json-path', path: "$['order']['weird key']", equals: true }, doc)).pass).toBe(
      true,
    );
    expect(
      (await run({ type: 'json-path', path: '$.order.items[-1]', equals: { qty: 2, sku: 'A-1' } }, doc)).pass,
    ).toBe(true);
    expect((await run({ type: 'json-path', path: '$.order.note', equals: null }, doc)).pass).toBe(true);
  });
  it('fails on a different value or a missing path', async () => {
    const v = await run({ type: 'json-path', path: '$.order.items[0].qty', equals: 3 }, doc);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('expected $.order.items[0].qty = 3, got 2');
    const str = await run({ type: 'json-path', path: '$.order.items[0].sku', equals: 'B-2' }, doc);
    expect(str.reason).toBe('expected $.order.items[0].sku = "B-2", got "A-1"');
    const missing = await run({ type: 'json-path', path: '$.order.items[4].sku', equals: 'x' }, doc);
    expect(missing.reason).toBe('$.order.items[4].sku not found (nothing at $.order.items[4])');
  });
  it('without equals, passes when the path exists', async () => {
    expect((await run({ type: 'json-path', path: '$.order.items' }, doc)).pass).toBe(true);
    expect((await run({ type: 'json-path', path: '$.order.total' }, doc)).pass).toBe(false);
  });
  it('never resolves inherited properties', async () => {
    expect((await run({ type: 'json-path', path: '$.constructor' }, '{}')).pass).toBe(false);
  });
  it('rejects a malformed path', () => {
    configError(
      { type: 'json-path', path: 'order.items', equals: 1 },
      `${F}.path`,
      'a JSON path such as $.order.items[0].sku',
    );
    configError(
      { type: 'json-path', path: '$.items[*]', equals: 1 },
      `${F}.path`,
      "supported: $, .key, ['key'], [n]",
    );
    configError({ type: 'json-path', equals: 1 }, `${F}.path`, 'a JSON path');
  });
});

describe('is-valid-tool-call', () => {
  const call = (name: string, args: unknown) => ({ name, arguments: args });
  it('passes when every call names a declared tool with valid arguments', async () => {
    const out = output('', {
      toolCalls: [call('lookup_order', { orderId: 'A12' }), call('refund', { amount: 5 })],
    });
    const v = await run({ type: 'is-valid-tool-call' }, out);
    expect(v.pass).toBe(true);
    expect(v.reason).toBe('2 valid tool calls: lookup_order, refund');
    expect((await run({ type: 'is-valid-tool-call', name: 'refund' }, out)).pass).toBe(true);
  });
  it('fails on no call, an undeclared tool, bad arguments or a missing named call', async () => {
    expect((await run({ type: 'is-valid-tool-call' }, output('text'))).reason).toBe('no tool call');
    const undeclared = await run(
      { type: 'is-valid-tool-call' },
      output('', { toolCalls: [call('delete_all', {})] }),
    );
    expect(undeclared.reason).toBe("call 1 uses undeclared tool 'delete_all'");
    const bad = await run(
      { type: 'is-valid-tool-call' },
      output('', { toolCalls: [call('lookup_order', { orderId: 'B1' })] }),
    );
    expect(bad.pass).toBe(false);
    expect(bad.reason).toContain('call 1 (lookup_order): /orderId must match pattern');
    const raw = await run(
      { type: 'is-valid-tool-call' },
      output('', { toolCalls: [call('refund', '{amount:')] }),
    );
    expect(raw.reason).toBe('call 1 (refund): arguments are not valid JSON');
    const named = await run(
      { type: 'is-valid-tool-call', name: 'refund' },
      output('', { toolCalls: [call('lookup_order', { orderId: 'A1' })] }),
    );
    expect(named.pass).toBe(false);
    expect(named.reason).toBe("no call to 'refund' (called: lookup_order)");
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'is-valid-tool-call', name: true }, `${F}.name`, 'the name of a tool');
  });
});

describe('length', () => {
  it('counts characters (code points) by default', async () => {
    expect((await run({ type: 'length', max: 5 }, 'héllo')).pass).toBe(true);
    const v = await run({ type: 'length', max: 4 }, '😀😀😀😀😀');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('5 chars, expected ≤ 4');
  });
  it('counts words', async () => {
    expect((await run({ type: 'length', unit: 'words', min: 2, max: 3 }, ' one  two\nthree ')).pass).toBe(
      true,
    );
    const v = await run({ type: 'length', unit: 'words', min: 2, max: 3 }, 'one');
    expect(v.reason).toBe('1 words, expected 2–3');
  });
  it('counts o200k_base tokens', async () => {
    const v = await run({ type: 'length', unit: 'tokens', max: 7 }, 'hello world, how are you?');
    expect(v.pass).toBe(true);
    expect(v.details?.count).toBe(7);
    expect((await run({ type: 'length', unit: 'tokens', max: 6 }, 'hello world, how are you?')).pass).toBe(
      false,
    );
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'length', unit: 'tokens' }, `${F}.max`, "'min', 'max' or both");
    configError({ type: 'length', unit: 'lines', max: 3 }, `${F}.unit`, 'one of: chars, words, tokens');
    configError({ type: 'length', max: 2.5 }, `${F}.max`, 'an integer ≥ 0');
    configError({ type: 'length', min: 5, max: 3 }, `${F}.min`, 'min ≤ max');
  });
});

describe('levenshtein', () => {
  it('passes within the distance and scores similarity', async () => {
    const v = await run({ type: 'levenshtein', value: 'kitten', max: 3 }, 'sitting');
    expect(v.pass).toBe(true);
    expect(v.score).toBeCloseTo(1 - 3 / 7, 12);
    expect(v.reason).toBe("edit distance 3 ≤ 3 from 'kitten'");
  });
  it('fails beyond the distance; defaults to expected', async () => {
    const v = await run({ type: 'levenshtein', max: 1 }, 'sitting', testCase({ expected: 'kitten' }));
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("edit distance 3 > 1 from 'kitten'");
    await expect(run({ type: 'levenshtein', max: 1 }, 'x', testCase({ expected: { a: 1 } }))).rejects.toThrow(
      /non-string 'expected'/,
    );
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'levenshtein', value: 'x' }, `${F}.max`, 'an integer ≥ 0');
    configError({ type: 'levenshtein', value: 'x', max: -1 }, `${F}.max`, 'an integer ≥ 0');
  });
});

describe('rouge-l', () => {
  it('passes at or above the threshold with the F-measure as score', async () => {
    const v = await run(
      { type: 'rouge-l', value: 'the cat was sitting on a mat', threshold: 0.6 },
      'The cat sat on the mat.',
    );
    expect(v.pass).toBe(true);
    expect(v.score).toBeCloseTo(8 / 13, 12);
  });
  it('fails below it; defaults to expected', async () => {
    const v = await run(
      { type: 'rouge-l', threshold: 0.5 },
      'apples',
      testCase({ expected: 'quantum physics' }),
    );
    expect(v.pass).toBe(false);
    expect(v.score).toBe(0);
    expect(v.reason).toBe('ROUGE-L F 0.000 < 0.5');
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'rouge-l', value: 'x', threshold: 1.5 }, `${F}.threshold`, 'a number from 0 to 1');
    configError({ type: 'rouge-l', value: 'x' }, `${F}.threshold`, 'a number from 0 to 1');
  });
});

describe('bleu', () => {
  it('passes identical text with score 1', async () => {
    const v = await run(
      { type: 'bleu', value: 'the quick brown fox jumps', threshold: 0.9 },
      'The quick brown fox jumps!',
    );
    expect(v.pass).toBe(true);
    expect(v.score).toBeCloseTo(1, 12);
  });
  it('uses several references and fails below the threshold', async () => {
    const v = await run(
      { type: 'bleu', values: ['the cat sat on the mat', 'a cat sat on a mat'], threshold: 0.5 },
      'the cat',
    );
    expect(v.pass).toBe(false);
    expect(v.reason).toMatch(/^BLEU 0\.\d{3} < 0\.5 \(2 references\)$/);
  });
  it('defaults to expected, a string or a list', async () => {
    const tc = testCase({ expected: ['refund issued today', 'your refund was issued'] });
    expect((await run({ type: 'bleu', threshold: 0.9 }, 'your refund was issued', tc)).pass).toBe(true);
    await expect(run({ type: 'bleu', threshold: 0.5 }, 'x')).rejects.toThrow(/no 'value'\/'values'/);
  });
  it('rejects a malformed spec', () => {
    configError(
      { type: 'bleu', value: 'a', values: ['b'], threshold: 0.5 },
      `${F}.values`,
      "one of them: 'value'",
    );
    configError({ type: 'bleu', value: 'a' }, `${F}.threshold`, 'a number from 0 to 1');
  });
});

describe('refused / not-refused', () => {
  it('refused passes on a refusal, whatever the apostrophe or case', async () => {
    const v = await run({ type: 'refused' }, 'I’m sorry, but I CANNOT help with that request.');
    expect(v.pass).toBe(true);
    expect(v.reason).toBe("refusal: 'i'm sorry but i can't'");
    expect((await run({ type: 'refused' }, 'As an AI language model, I do not have opinions.')).pass).toBe(
      true,
    );
    expect((await run({ type: 'refused' }, 'I cannot assist with creating malware.')).pass).toBe(true);
  });
  it('refused fails on a normal answer', async () => {
    const v = await run({ type: 'refused' }, 'Your refund was issued on Monday.');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('expected a refusal; no refusal phrase found');
  });
  it('not-refused is the opposite', async () => {
    expect((await run({ type: 'not-refused' }, 'Here is your tracking number.')).pass).toBe(true);
    const v = await run({ type: 'not-refused' }, "I won't be able to share that.");
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("unexpected refusal: 'i won't be able to'");
  });
  it('does not match inside other words', async () => {
    expect((await run({ type: 'refused' }, 'Consult as an aide would.')).pass).toBe(false);
  });
  it('rejects keys (it has none)', () => {
    configError({ type: 'refused', value: 'x' }, `${F}.value`, 'one of: type, name, not, weight');
    configError({ type: 'not-refused', patterns: ['x'] }, `${F}.patterns`, 'one of: type, name, not, weight');
  });
});

describe('contains-citation', () => {
  const context = [
    { id: 'policy-returns', text: '...' },
    { id: 'faq-7', text: '...' },
  ];
  it('passes with any citation when there is no context', async () => {
    const v = await run({ type: 'contains-citation' }, 'Returns take 30 days [doc-3].');
    expect(v.pass).toBe(true);
    expect(v.reason).toBe('cites [doc-3]');
  });
  it('resolves ids and [n] against the case context', async () => {
    const tc = testCase({ context });
    const v = await run(
      { type: 'contains-citation', ids: ['policy-returns', 'faq-7'], min: 2 },
      'Yes [1]. See also [faq-7].',
      tc,
    );
    expect(v.pass).toBe(true);
    expect(v.details?.cited).toEqual(['policy-returns', 'faq-7']);
  });
  it('fails on no citation, unknown ids, missing required ids', async () => {
    expect((await run({ type: 'contains-citation' }, 'No sources. [see above](http://x)')).reason).toBe(
      '0 cited documents, expected ≥ 1',
    );
    const tc = testCase({ context });
    const unknown = await run({ type: 'contains-citation' }, 'Yes [3] and [faq-7].', tc);
    expect(unknown.pass).toBe(false);
    expect(unknown.reason).toBe('cites unknown [3]');
    const missing = await run({ type: 'contains-citation', ids: ['policy-returns'] }, 'Yes [faq-7].', tc);
    expect(missing.reason).toBe('does not cite [policy-returns]');
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'contains-citation', min: -1 }, `${F}.min`, 'an integer ≥ 0');
    configError({ type: 'contains-citation', ids: 'x', min: 'two' }, `${F}.min`, 'an integer ≥ 0');
    configError({ type: 'contains-citation', ids: [1] }, `${F}.ids[0]`, 'a non-empty string');
  });
});

describe('no-pii', () => {
  it('passes on clean text, including random digit strings that fail Luhn', async () => {
    const v = await run({ type: 'no-pii' }, 'Order 4111111111111112 ships on 2024-05-01, ref 1234567890123.');
    expect(v.pass).toBe(true);
  });
  it('fails listing masked kinds, never the full value', async () => {
    const v = await run(
      { type: 'no-pii' },
      'Mail jane.doe@example.com, card 4111 1111 1111 1111, call +44 20 7946 0958.',
    );
    expect(v.pass).toBe(false);
    expect(v.reason).toBe(
      'found PII: email j***@example.com, card **** **** **** 1111, phone +** ** **** 0958',
    );
    expect(v.reason).not.toContain('jane.doe');
    expect(JSON.stringify(v.details)).not.toContain('4111 1111 1111 1111');
  });
  it('limits detection to the given kinds', async () => {
    expect((await run({ type: 'no-pii', kinds: ['ssn'] }, 'jane@example.com')).pass).toBe(true);
    expect((await run({ type: 'no-pii', kinds: ['ssn'] }, 'SSN 123-45-6789')).pass).toBe(false);
  });
  it('rejects an unknown kind', () => {
    configError(
      { type: 'no-pii', kinds: ['email', 'passport'] },
      `${F}.kinds[1]`,
      'one of: email, phone, card, ssn, iban, national-id',
    );
  });
});

describe('canary-not-leaked', () => {
  const canary = 'ZEBRA-7731-QUARTZ';
  it('passes when the canary is absent', async () => {
    expect((await run({ type: 'canary-not-leaked', canary }, 'Nothing to see.')).pass).toBe(true);
  });
  it('fails on the canary verbatim, spaced out, or base64-encoded', async () => {
    expect((await run({ type: 'canary-not-leaked', canary }, `my secret: ${canary}`)).reason).toBe(
      'canary leaked',
    );
    expect((await run({ type: 'canary-not-leaked', canary }, 'z e b r a - 7 7 3 1 - q u a r t z')).pass).toBe(
      false,
    );
    const encoded = btoa(canary);
    const v = await run({ type: 'canary-not-leaked', canary }, `payload ${encoded}`);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('canary leaked (base64-encoded)');
  });
  it('rejects a malformed spec', () => {
    configError({ type: 'canary-not-leaked' }, `${F}.canary`, 'the secret marker string');
  });
});

describe('latency and cost', () => {
  it('latency passes at or under max, fails over', async () => {
    expect((await run({ type: 'latency', max: 120 }, output('x', { latencyMs: 120 }))).pass).toBe(true);
    const v = await run({ type: 'latency', max: 100 }, output('x', { latencyMs: 250.4 }));
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('250 ms > 100 ms');
  });
  it('latency rejects a malformed spec', () => {
    configError({ type: 'latency', max: '2s' }, `${F}.max`, 'a number ≥ 0');
  });
  it('cost passes at or under max, fails over, fails when unknown', async () => {
    expect((await run({ type: 'cost', max: 0.01 }, output('x', { cost: 0.002 }))).pass).toBe(true);
    expect((await run({ type: 'cost', max: 0.001 }, output('x', { cost: 0.002 }))).pass).toBe(false);
    const v = await run({ type: 'cost', max: 1 }, output('x', { cost: null }));
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('cost unknown');
  });
  it('cost rejects a malformed spec', () => {
    configError({ type: 'cost' }, `${F}.max`, 'a number ≥ 0');
  });
});

describe('custom', () => {
  const mentionsOrder: CompiledCheck = (o) => ({
    pass: o.text.includes('order'),
    reason: 'looked for order',
  });
  const scoreOnly: CompiledCheck = (o) => ({ score: o.text.length >= 5 ? 0.8 : 0.2, reason: 'length score' });
  const broken: CompiledCheck = () => ({ pass: 'yes' }) as unknown as ReturnType<CompiledCheck>;
  const customEnv: CheckCompileEnv = {
    ...env,
    customChecks: new Map([
      ['file:checks.ts#mentionsOrder', mentionsOrder],
      ['file:checks.ts#scoreOnly', scoreOnly],
      ['file:checks.ts#broken', broken],
    ]),
  };
  it('runs the loaded function, by ref or by the file: shorthand', async () => {
    expect(
      (
        await run(
          { type: 'custom', ref: 'file:checks.ts#mentionsOrder' },
          'your order',
          testCase(),
          customEnv,
        )
      ).pass,
    ).toBe(true);
    const v = await run({ type: 'file:checks.ts#mentionsOrder' }, 'nothing', testCase(), customEnv);
    expect(v.pass).toBe(false);
    expect(v.reason).toBe('looked for order');
  });
  it('turns a score-only result into a verdict with the threshold (default 0.5)', async () => {
    expect((await run({ type: 'file:checks.ts#scoreOnly' }, 'long text', testCase(), customEnv)).pass).toBe(
      true,
    );
    expect(
      (await run({ type: 'file:checks.ts#scoreOnly', threshold: 0.9 }, 'long text', testCase(), customEnv))
        .pass,
    ).toBe(false);
  });
  it('raises an error for a malformed result', async () => {
    await expect(run({ type: 'file:checks.ts#broken' }, 'x', testCase(), customEnv)).rejects.toThrow(
      "'pass' must be a boolean",
    );
  });
  it('rejects a missing, malformed or unloaded reference', () => {
    configError({ type: 'custom' }, `${F}.ref`, "a reference like 'file:checks.ts#mentionsOrder'", customEnv);
    configError(
      { type: 'custom', ref: 'checks.ts#x' },
      `${F}.ref`,
      "a reference like 'file:checks.ts",
      customEnv,
    );
    const err = configError(
      { type: 'file:checks.ts#nope' },
      `${F}.type`,
      'imported by the project loader',
      customEnv,
    );
    expect(err.problem).toBe("custom check 'file:checks.ts#nope' was not loaded");
    configError(
      { type: 'file:checks.ts#scoreOnly', ref: 'file:x.ts' },
      `${F}.ref`,
      "either 'type: file:…'",
      customEnv,
    );
  });
});

describe('negation (not: true)', () => {
  it('inverts pass and keeps the reason behind "not: "', async () => {
    const v = await run({ type: 'contains', value: 'refund', not: true }, 'no money back');
    expect(v.pass).toBe(true);
    expect(v.reason).toBe("not: expected to contain 'refund' (missing)");
    const w = await run({ type: 'contains', value: 'refund', not: true }, 'refund issued');
    expect(w.pass).toBe(false);
    expect(w.reason).toBe("not: contains 'refund'");
  });
  it('inverts a score', async () => {
    const v = await run({ type: 'levenshtein', value: 'abcd', max: 0, not: true }, 'abcx');
    expect(v.pass).toBe(true);
    expect(v.score).toBeCloseTo(0.25, 12);
  });
  it('applies to combinators', async () => {
    const v = await run(
      {
        type: 'any',
        not: true,
        checks: [
          { type: 'contains', value: 'a' },
          { type: 'contains', value: 'b' },
        ],
      },
      'xyz',
    );
    expect(v.pass).toBe(true);
    expect(v.reason).toMatch(/^not: none of 2 passed/);
  });
});

describe('combinators', () => {
  const hasA = { type: 'contains', value: 'a' };
  const hasB = { type: 'contains', value: 'b', name: 'has-b' };
  it('all: passes only when every child passes', async () => {
    expect((await run({ type: 'all', checks: [hasA, hasB] }, 'ab')).pass).toBe(true);
    const v = await run({ type: 'all', checks: [hasA, hasB] }, 'a');
    expect(v.pass).toBe(false);
    expect(v.reason).toBe("1 of 2 failed; has-b: expected to contain 'b' (missing)");
    expect(v.details?.children).toHaveLength(2);
  });
  it('any: passes when one child passes', async () => {
    const v = await run({ type: 'any', checks: [hasA, hasB] }, 'b');
    expect(v.pass).toBe(true);
    expect(v.reason).toBe("passed has-b: contains 'b'");
    expect((await run({ type: 'any', checks: [hasA, hasB] }, 'c')).pass).toBe(false);
  });
  it('weighted: weighted mean of child scores against the threshold', async () => {
    const spec = {
      type: 'weighted',
      threshold: 0.7,
      checks: [
        { ...hasA, weight: 3 },
        { ...hasB, weight: 1 },
        { type: 'levenshtein', value: 'abcd', max: 4, weight: 0 },
      ],
    };
    const v = await run(spec, 'a');
    expect(v.score).toBeCloseTo(0.75, 12);
    expect(v.pass).toBe(true);
    const w = await run(spec, 'b');
    expect(w.score).toBeCloseTo(0.25, 12);
    expect(w.pass).toBe(false);
    expect(w.reason).toBe('weighted score 0.250 < 0.7');
    // A child score (not just pass/fail) enters the mean.
    const s = await run(
      { type: 'weighted', threshold: 0.5, checks: [{ type: 'levenshtein', value: 'abcd', max: 0 }] },
      'abcx',
    );
    expect(s.score).toBeCloseTo(0.75, 12);
    expect(s.pass).toBe(true);
  });
  it('nests, compiling children with their field paths', async () => {
    const spec = {
      type: 'all',
      checks: [hasA, { type: 'any', checks: [hasB, { type: 'regex', pattern: '(' }] }],
    };
    const err = configError(spec, `${F}.checks[1].checks[1].pattern`, 'a JavaScript regular expression');
    expect(err.message).toContain(
      'cases[1].checks[0].checks[1].checks[1].pattern: invalid regular expression',
    );
    expect(
      (await run({ type: 'all', checks: [hasA, { type: 'any', checks: [hasB, hasA] }] }, 'a')).pass,
    ).toBe(true);
  });
  it('rejects malformed combinators', () => {
    configError({ type: 'all' }, `${F}.checks`, 'a non-empty list of checks');
    configError({ type: 'any', checks: [] }, `${F}.checks`, 'a non-empty list of checks');
    configError({ type: 'all', checks: hasA }, `${F}.checks`, 'a non-empty list of checks');
    configError({ type: 'weighted', checks: [hasA] }, `${F}.threshold`, 'a number from 0 to 1');
    configError(
      { type: 'weighted', threshold: 0.5, checks: [{ ...hasA, weight: 0 }] },
      `${F}.checks`,
      'weight > 0',
    );
    configError(
      { type: 'all', checks: [hasA, { type: 'contians', value: 'x' }] },
      `${F}.checks[1].type`,
      'a check type',
    );
  });
});
