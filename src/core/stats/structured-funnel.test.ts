import { describe, expect, it } from 'vitest';
import { compileSchema } from '../checks/compile-schema.ts';
import {
  classifyStructuredOutput,
  isTruncation,
  type SchemaValidator,
  structuredFunnel,
} from './structured-funnel.ts';
import { wilsonInterval } from './wilson.ts';

const schema = {
  type: 'object',
  required: ['name', 'age'],
  properties: {
    name: { type: 'string' },
    age: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
    status: { enum: ['open', 'closed'] },
  },
  additionalProperties: false,
};
const compiled = compileSchema(schema);
if (!compiled.ok) throw new Error(compiled.error);
const validate: SchemaValidator = compiled.validate;
const group = { prompt: 'extract', promptVersion: 'v1', modelId: 'fake:x' };
const ok = (output: string, expected?: unknown, finishReason?: string) => ({
  result: { status: 'pass' as const, output, ...(finishReason ? { finishReason } : {}) },
  expected,
});

describe('isTruncation', () => {
  it('knows how providers spell a token-limit stop', () => {
    for (const r of ['length', 'max_tokens', 'MAX_TOKENS', 'max-tokens', 'max_output_tokens'])
      expect(isTruncation(r)).toBe(true);
    for (const r of [undefined, 'stop', 'tool-calls', 'content-filter']) expect(isTruncation(r)).toBe(false);
  });
});

describe('classifyStructuredOutput', () => {
  it('calls prose with a refusal phrase a refusal, but not a JSON answer quoting one', () => {
    expect(classifyStructuredOutput("I'm sorry, but I can't help with that.", 'stop', validate)).toEqual({
      stage: 'refused',
      phrase: "i'm sorry but i can't",
    });
    expect(
      classifyStructuredOutput('{"name": "I can\'t help with that", "age": 1}', 'stop', validate).stage,
    ).toBe('schema-valid');
  });

  it('puts a cut-off answer in truncated before checking its JSON, and lists schema keywords once each', () => {
    expect(classifyStructuredOutput('{"name": "Ad', 'length', validate)).toEqual({ stage: 'truncated' });
    expect(classifyStructuredOutput('{"name": "Ad', 'stop', validate)).toEqual({ stage: 'invalid-json' });
    expect(classifyStructuredOutput('{"name": 5, "age": "x", "zz": 1}', undefined, validate)).toEqual({
      stage: 'schema-invalid',
      keywords: ['additionalProperties', 'type'],
    });
  });
});

describe('structuredFunnel', () => {
  const funnel = structuredFunnel(group, validate, [
    { result: { status: 'error' as const } },
    ok("I'm sorry, but I can't help with that."),
    ok('{"name": "Ada", "age": 3', undefined, 'length'),
    ok('not json at all'),
    ok('{"name": "Ada"}'),
    ok('{"name": 5, "age": 3, "x": 1}'),
    // Fenced JSON is JSON (the checks' rule); strings compare normalised, arrays as sets.
    ok('```json\n{"name": " ada  LOVELACE ", "age": 36, "tags": ["b", "a"]}\n```', {
      name: 'Ada Lovelace',
      age: 36,
      tags: ['a', 'b'],
    }),
    ok('{"name": "Bob", "age": 40, "tags": ["a", "c", "d"], "status": "closed"}', {
      name: 'Ada',
      age: 40,
      tags: ['a', 'b'],
    }),
    ok('{"name": "Cy", "age": 1}', { name: 'Cy', age: 2, status: 'open' }),
    ok('{"name": "D", "age": 5}'),
    ok('{"name": "E", "age": 6}', 'a string expected is not an object to compare with'),
  ]);

  it('counts each stage over the stage before it and over responses', () => {
    expect(funnel.errors).toBe(1);
    expect(funnel.responses).toBe(10);
    expect(funnel.refused.count).toBe(1);
    expect(funnel.truncated.count).toBe(1);
    expect(funnel.truncated.ofPrevious).toEqual(wilsonInterval(1, 9));
    expect(funnel.json.count).toBe(7);
    expect(funnel.json.ofPrevious).toEqual(wilsonInterval(7, 8));
    expect(funnel.json.ofPrevious?.lower).toBeCloseTo(0.52911, 5); // Wilson 7/8 by hand
    expect(funnel.json.ofResponses).toEqual(wilsonInterval(7, 10));
    expect(funnel.schema.count).toBe(5);
    expect(funnel.schema.ofPrevious).toEqual(wilsonInterval(5, 7));
    expect(funnel.schemaErrors).toEqual({ additionalProperties: 1, required: 1, type: 1 });
    expect(funnel.withoutExpected).toBe(2);
  });

  it('scores fields micro (all fields) and macro (per field), and the exact-object rate', () => {
    const f = funnel.fields;
    if (!f) throw new Error('expected field accuracy');
    expect(f.outputs).toBe(3);
    // Scores: [1, 1, 1], [0, 1, 0.4], [1, 0, 0 (missing)]: 5.4 / 9.
    expect(f.fields).toBe(9);
    expect(f.micro.estimate).toBeCloseTo(0.6, 12);
    // Per field: /age 2/3, /name 2/3, /status 0/1, /tags 1.4/2 → mean 0.508333…
    expect(f.macro).toBeCloseTo((2 / 3 + 2 / 3 + 0 + 0.7) / 4, 12);
    expect(f.perField.map((p) => [p.path, p.n, p.correct, p.partial, p.wrong, p.missing])).toEqual([
      ['/age', 3, 2, 0, 1, 0],
      ['/name', 3, 2, 0, 1, 0],
      ['/status', 1, 0, 0, 0, 1],
      ['/tags', 2, 1, 1, 0, 0],
    ]);
    expect(f.exact.count).toBe(1);
    expect(f.exact.ofPrevious).toEqual(wilsonInterval(1, 3));
    expect(f.exact.ofResponses).toEqual(wilsonInterval(1, 10));
    expect(f.extraFields).toBe(1);
    // Fields of one output move together: a cluster-robust interval, clipped to [0, 1].
    expect(f.micro.method).toBe('cluster-robust CR1, t(C−1)');
    expect(f.micro.lower).toBe(0);
    expect(f.micro.upper).toBe(1);
  });

  it('falls back to a Wilson interval over outputs when every field scored the same', () => {
    const all = structuredFunnel(
      group,
      validate,
      Array.from({ length: 4 }, (_, i) => ok(`{"name": "n${i}", "age": ${i}}`, { name: `n${i}`, age: i })),
    );
    expect(all.fields?.micro).toEqual({
      estimate: 1,
      lower: wilsonInterval(4, 4).lower,
      upper: 1,
      method: 'wilson over outputs',
    });
    expect(all.fields?.macro).toBe(1);
  });

  it('has no field accuracy and null shares when nothing reaches those stages', () => {
    const empty = structuredFunnel(group, validate, [{ result: { status: 'error' as const } }]);
    expect(empty.responses).toBe(0);
    expect(empty.json.ofPrevious).toBeNull();
    expect(empty.json.ofResponses).toBeNull();
    expect(empty.fields).toBeNull();
  });
});
