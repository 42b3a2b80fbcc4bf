import { describe, expect, it } from 'vitest';
import { parseCustomRef } from './parse-custom-ref.ts';

describe('parseCustomRef', () => {
  it('parses file and export', () => {
    expect(parseCustomRef('file:checks.ts#mentionsOrder')).toEqual({
      file: 'checks.ts',
      exportName: 'mentionsOrder',
    });
    expect(parseCustomRef('file:lib/checks.mjs')).toEqual({ file: 'lib/checks.mjs' });
  });
  it('rejects malformed refs', () => {
    for (const bad of ['checks.ts#x', 'file:', 'file:#x', 'file:a.ts#1x', 'file:a.ts#x#y'])
      expect(parseCustomRef(bad), bad).toBeUndefined();
  });
});
