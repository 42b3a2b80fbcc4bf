/**
 * The one escape of the report: every model output, test input, file, case or model name goes through it,
 * in text and in (double- or single-quoted) attribute values alike. Besides the five markup characters it
 * escapes the backtick (old IE attribute quirks), drops characters HTML cannot carry (NUL and other C0/C1
 * controls except tab and newline, non-characters) and shows bidirectional overrides and isolates as visible
 * `⟨U+202E⟩` markers, so an output cannot reorder the text a reviewer reads.
 */
export function escapeHtml(value: unknown): string {
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, '')
      .replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, (c) => `⟨U+${hex(c)}⟩`)
      .replace(/[&<>"'`]/g, (c) => entities[c] as string)
  );
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

function hex(c: string): string {
  return (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}
