/**
 * PostgreSQL `text` cannot hold the NUL character, and model output may contain it. A string holding NUL (or
 * starting with the marker) is stored as the marker followed by its JSON encoding, which has no raw NUL;
 * every other string is stored as is. `fromPgText(toPgText(s)) === s` for every string.
 */
const marker = '\uE000';

export function toPgText(value: string): string {
  return value.includes('\u0000') || value.startsWith(marker) ? marker + JSON.stringify(value) : value;
}

export function fromPgText(value: string): string {
  return value.startsWith(marker) ? (JSON.parse(value.slice(marker.length)) as string) : value;
}

export function toPgTextOrNull(value: string | undefined | null): string | null {
  return value === undefined || value === null ? null : toPgText(value);
}
