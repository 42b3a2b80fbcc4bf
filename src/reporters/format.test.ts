import { describe, expect, it } from 'vitest';
import { safeText } from './format.ts';

describe('safeText', () => {
  it('strips terminal control characters and shows newlines', () => {
    expect(safeText('a\u001b[2Jb\u0007c\u009bd')).toBe('a[2Jbcd');
    expect(safeText('one\ntwo')).toBe('one ⏎ two');
  });

  it('strips bidirectional overrides and isolates, which reorder what is displayed', () => {
    expect(safeText('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeText('\u202Aa\u202Bb\u202Cc\u202Dd\u2066e\u2067f\u2068g\u2069h')).toBe('abcdefgh');
  });

  it('keeps other text, and truncates to max', () => {
    expect(safeText('café ✓ 日本')).toBe('café ✓ 日本');
    expect(safeText('abcdef', 4)).toBe('abc…');
  });
});
