import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Assay's own version, read from its package.json (works from src/ and dist/). */
export function version(): string {
  cached ??= (
    JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  ).version;
  return cached;
}
