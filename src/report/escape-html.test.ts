import { describe, expect, it } from 'vitest';
import { escapeHtml } from './escape-html.ts';

describe('escapeHtml', () => {
  it('escapes the markup characters for text and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;',
    );
  });

  it('drops NUL and control characters, keeps tabs and newlines', () => {
    expect(escapeHtml('a\u0000b\u0007c\td\ne\uffff')).toBe('abc\td\ne');
  });

  it('shows bidirectional overrides as visible markers instead of applying them', () => {
    expect(escapeHtml('x\u202Ey\u2066z')).toBe('x⟨U+202E⟩y⟨U+2066⟩z');
  });

  it('renders undefined and null as empty, numbers as text', () => {
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(0.5)).toBe('0.5');
  });
});
