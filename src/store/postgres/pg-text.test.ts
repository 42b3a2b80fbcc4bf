import { describe, expect, it } from 'vitest';
import { fromPgText, toPgText } from './pg-text.ts';

describe('NUL-safe text for PostgreSQL', () => {
  it('round-trips every string and never stores NUL', () => {
    for (const s of [
      '',
      'plain',
      'a\u0000b',
      '\u0000',
      '\uE000',
      '\uE000"x"',
      '\uE000\u0000',
      'é 🤖 \\u0000',
    ]) {
      const stored = toPgText(s);
      expect(stored).not.toContain('\u0000');
      expect(fromPgText(stored)).toBe(s);
    }
  });

  it('leaves ordinary text unchanged', () => {
    expect(toPgText("'); DROP TABLE runs;--")).toBe("'); DROP TABLE runs;--");
  });
});
