import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { parseYaml } from './yaml-locate.ts';

const TEXT = `name: x
cases:
  - id: a
    vars:
      q: 1
  - id: b
    empty:
`;

describe('parseYaml', () => {
  it('maps field paths to lines and columns', () => {
    const { value, locate } = parseYaml(TEXT, 'f.yaml');
    expect(value).toEqual({
      name: 'x',
      cases: [
        { id: 'a', vars: { q: 1 } },
        { id: 'b', empty: null },
      ],
    });
    expect(locate(['name'])).toEqual({ line: 1, column: 7 });
    expect(locate(['name'], 'key')).toEqual({ line: 1, column: 1 });
    expect(locate(['cases', 0, 'vars', 'q'])).toEqual({ line: 5, column: 10 });
    expect(locate(['cases', 1])).toEqual({ line: 6, column: 5 });
    // An empty value points at its key; a missing path at the deepest parent that exists.
    expect(locate(['cases', 1, 'empty'])).toEqual({ line: 7, column: 5 });
    expect(locate(['cases', 1, 'nope', 'deeper'])).toEqual({ line: 6, column: 5 });
  });

  it('shifts lines by an offset (front matter)', () => {
    expect(parseYaml('a: 1', 'p.md', { lineOffset: 1 }).locate(['a'])).toEqual({ line: 2, column: 4 });
  });

  it('turns syntax errors and duplicate keys into ConfigErrors with a position', () => {
    for (const [text, line] of [
      ['a: [1, 2\nb: 3', 2],
      ['a: 1\na: 2', 2],
      ['a:\n\t- b', 2],
    ] as const) {
      try {
        parseYaml(text, 'f.yaml');
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).info).toMatchObject({ file: 'f.yaml', line });
        expect((e as ConfigError).message).toContain('invalid YAML');
      }
    }
  });
});
