import { randomBytes } from 'node:crypto';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A unique fake API key to plant in a test's environment, e.g. `sk-assay-canary-3f9c…`. */
export function plantSecret(): string {
  return `sk-assay-canary-${randomBytes(12).toString('hex')}`;
}

export interface SecretHit {
  file: string;
  /** Byte offset of the match in the file. */
  offset: number;
  /** How the secret was written there. */
  form: 'plain' | 'base64' | 'url-encoded' | 'utf16le';
}

/**
 * Base64 encodings of `secret` as it appears inside a longer base64 text: one per alignment (the secret may
 * start at any byte offset mod 3), keeping only the characters that depend on the secret alone.
 */
function base64Needles(secret: Buffer): string[] {
  const out: string[] = [];
  for (let pad = 0; pad < 3; pad++) {
    const enc = Buffer.concat([Buffer.alloc(pad), secret]).toString('base64');
    // drop the characters mixed with the padding bytes at the start and with what follows at the end
    const start = pad === 0 ? 0 : pad === 1 ? 2 : 3;
    const usableEnd = Math.floor(((pad + secret.length) * 8) / 6);
    const needle = enc.slice(start, usableEnd);
    if (needle.length >= 8) out.push(needle);
    // base64url too
    const url = needle.replaceAll('+', '-').replaceAll('/', '_');
    if (url !== needle) out.push(url);
  }
  return out;
}

function needlesFor(secret: string): { form: SecretHit['form']; bytes: Buffer }[] {
  const plain = Buffer.from(secret, 'utf8');
  const needles: { form: SecretHit['form']; bytes: Buffer }[] = [{ form: 'plain', bytes: plain }];
  for (const b64 of base64Needles(plain)) needles.push({ form: 'base64', bytes: Buffer.from(b64, 'latin1') });
  const seen = new Set([secret]);
  for (const enc of [encodeURIComponent(secret), encodeURIComponent(secret).toLowerCase()]) {
    if (seen.has(enc)) continue;
    seen.add(enc);
    needles.push({ form: 'url-encoded', bytes: Buffer.from(enc, 'latin1') });
  }
  needles.push({ form: 'utf16le', bytes: Buffer.from(secret, 'utf16le') });
  return needles;
}

async function* walk(path: string): AsyncGenerator<string> {
  let st: Awaited<ReturnType<typeof lstat>>;
  try {
    st = await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (st.isSymbolicLink()) return; // never follow links out of the scanned tree
  if (st.isFile()) {
    yield path;
    return;
  }
  if (st.isDirectory()) {
    const entries = await readdir(path);
    entries.sort();
    for (const name of entries) yield* walk(join(path, name));
  }
}

/**
 * Every place `secret` occurs in the given files and folders (recursively, symlinks not followed, missing
 * paths skipped): raw bytes of every file, so SQLite `.db`, `-wal` and `-shm` files count, plus the
 * base64, URL-encoded and UTF-16 forms of the secret.
 */
export async function scanForSecret(secret: string, paths: string[]): Promise<SecretHit[]> {
  if (secret.length < 8) throw new Error('scanForSecret: the secret is too short to scan for reliably');
  const needles = needlesFor(secret);
  const hits: SecretHit[] = [];
  for (const root of paths) {
    for await (const file of walk(root)) {
      const data = await readFile(file);
      for (const { form, bytes } of needles) {
        let at = data.indexOf(bytes);
        while (at !== -1) {
          hits.push({ file, offset: at, form });
          at = data.indexOf(bytes, at + 1);
        }
      }
    }
  }
  return hits;
}
