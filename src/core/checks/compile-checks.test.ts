import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../errors.ts';
import type { CompiledCheck } from '../types.ts';
import { compileChecks } from './compile-checks.ts';

describe('compileChecks', () => {
  it('labels entries, mapping the file: shorthand to custom', () => {
    const custom: CompiledCheck = () => ({ pass: true, reason: '' });
    const entries = compileChecks(
      [
        { type: 'is-json', name: 'json' },
        { type: 'file:checks.ts#mine' },
        { type: 'custom', ref: 'file:checks.ts#mine' },
      ],
      { where: {}, customChecks: new Map([['file:checks.ts#mine', custom]]) },
    );
    expect(entries.map((e) => [e.type, e.name])).toEqual([
      ['is-json', 'json'],
      ['custom', 'file:checks.ts#mine'],
      ['custom', undefined],
    ]);
  });

  it('throws one ConfigError for one bad spec, indexed under the list field', () => {
    expect(() =>
      compileChecks([{ type: 'is-json' }, { type: 'regex', pattern: '[' }], {
        where: { field: 'defaults.checks' },
      }),
    ).toThrow(/^defaults\.checks\[1\]\.pattern: invalid regular expression/);
  });

  it('collects several bad specs into ConfigErrors', () => {
    let caught: unknown;
    try {
      compileChecks([{ type: 'nope' }, { type: 'is-json' }, { type: 'latency' }], {
        where: { file: 's.yaml' },
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigErrors);
    const errors = (caught as ConfigErrors).errors;
    expect(errors.map((e) => e.info.field)).toEqual(['checks[0].type', 'checks[2].max']);
    expect(errors.every((e) => e instanceof ConfigError && e.info.file === 's.yaml')).toBe(true);
  });
});
