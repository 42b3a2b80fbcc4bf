import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { parseFrontMatter } from './parse-front-matter.ts';

const schema = z.strictObject({ name: z.string().optional(), temperature: z.number().optional() });

describe('parseFrontMatter', () => {
  it('validates the YAML and locates fields on the file’s own lines', () => {
    const { data, locate } = parseFrontMatter('name: a\ntemperature: 0.5', 1, 'x.md', schema, 'name');
    expect(data).toEqual({ name: 'a', temperature: 0.5 });
    expect(locate(['temperature'])?.line).toBe(3); // line 1 is the opening ---
  });

  it('validates an empty object when there is no front matter', () => {
    expect(parseFrontMatter(undefined, 0, 'x.md', schema, 'name').data).toEqual({});
  });

  it('names the file, line and field of a bad value, and refuses a non-mapping', () => {
    expect(() => parseFrontMatter('name: a\ntemperature: hot', 1, 'x.md', schema, 'name')).toThrow(
      /x\.md:3:\d+: temperature: .*number/,
    );
    expect(() => parseFrontMatter('- a\n- b', 1, 'x.md', schema, 'name, temperature')).toThrow(ConfigError);
    expect(() => parseFrontMatter('- a', 1, 'x.md', schema, 'name, temperature')).toThrow(
      /front matter must be a mapping; expected key: value lines such as name, temperature/,
    );
  });
});
