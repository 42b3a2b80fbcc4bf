import { describe, expect, it } from 'vitest';
import { collectCustomRefs } from './collect-custom-refs.ts';

describe('collectCustomRefs', () => {
  it('finds refs in both forms, inside combinators, once each', () => {
    expect(
      collectCustomRefs([
        { type: 'file:checks.ts#a' },
        { type: 'contains', value: 'file:not-a-ref' },
        {
          type: 'all',
          checks: [
            { type: 'custom', ref: 'file:checks.ts#b' },
            {
              type: 'weighted',
              threshold: 0.5,
              checks: [{ type: 'file:checks.ts#a' }, { type: 'file:other.ts' }],
            },
          ],
        },
      ]),
    ).toEqual(['file:checks.ts#a', 'file:checks.ts#b', 'file:other.ts']);
  });

  it('skips malformed specs (compileCheck reports them)', () => {
    expect(collectCustomRefs([{ type: 'custom' }, { type: 'any', checks: 'x' }, null as never])).toEqual([]);
  });
});
