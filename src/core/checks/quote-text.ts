/** A short single-quoted preview of text for reasons: whitespace collapsed, cut at `max` characters. */
export function quoteText(text: string, max = 40): string {
  const flat = text.replace(/\s+/g, ' ');
  const chars = [...flat];
  return `'${chars.length > max ? `${chars.slice(0, max).join('')}…` : flat}'`;
}

/** A short preview of a JSON value for reasons: `"refund"`, `3`, `{"a":1,…`. */
export function previewJson(value: unknown, max = 40): string {
  const json = JSON.stringify(value) ?? 'undefined';
  const chars = [...json];
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : json;
}
