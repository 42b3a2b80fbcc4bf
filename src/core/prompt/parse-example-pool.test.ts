import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import { parseExamplePool } from './parse-example-pool.ts';

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

describe('parseExamplePool', () => {
  it('reads both example forms (YAML or JSON) with their index and line', () => {
    const pool = parseExamplePool(
      '- vars: { question: "2 + 2?" }\n  output: "4"\n- { user: "Hi", assistant: "Hello" }\n',
      'examples.yaml',
    );
    expect(pool).toEqual([
      { vars: { question: '2 + 2?' }, output: '4', index: 0, line: 1 },
      { user: 'Hi', assistant: 'Hello', index: 1, line: 3 },
    ]);
    expect(parseExamplePool('[{"user": "a", "assistant": "b"}]', 'x.json')).toHaveLength(1);
  });

  it('a pool that is not a list, or an example of neither form, names the file, line and field', () => {
    let [e] = errorsOf(() => parseExamplePool('examples: []\n', 'pool.yaml'));
    expect(e?.message).toContain('a few-shot pool must be a list of examples');
    expect(e?.info.file).toBe('pool.yaml');
    const errors = errorsOf(() =>
      parseExamplePool('- { user: "a", assistant: "b" }\n- { vars: { q: 1 } }\n', 'pool.yaml'),
    );
    e = errors[0];
    expect(e?.info.file).toBe('pool.yaml');
    expect(e?.info.line).toBe(2);
    expect(e?.info.field).toMatch(/^\[1\]/);
    [e] = errorsOf(() => parseExamplePool('[]', 'pool.yaml'));
    expect(e?.message).toContain('at least 1');
  });
});
