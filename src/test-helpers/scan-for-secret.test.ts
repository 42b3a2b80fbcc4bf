import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { plantSecret, scanForSecret } from './scan-for-secret.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-scan-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('plantSecret', () => {
  it('makes unique canary keys', () => {
    const a = plantSecret();
    expect(a).toMatch(/^sk-assay-canary-[0-9a-f]{24}$/);
    expect(plantSecret()).not.toBe(a);
  });
});

describe('scanForSecret', () => {
  it('finds nothing in a clean tree', async () => {
    writeFileSync(join(dir, 'a.txt'), 'nothing here sk-assay-canary-000');
    expect(await scanForSecret(plantSecret(), [dir])).toEqual([]);
  });

  it('finds a key in a nested file with its byte offset', async () => {
    const secret = plantSecret();
    mkdirSync(join(dir, 'a', 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'c', 'log.txt'), `héllo ${secret} bye`);
    const hits = await scanForSecret(secret, [dir]);
    expect(hits).toEqual([{ file: join(dir, 'a', 'b', 'c', 'log.txt'), offset: 7, form: 'plain' }]);
  });

  it('finds a key in a SQLite database, its WAL, and after checkpointing', async () => {
    const secret = plantSecret();
    const file = join(dir, 'store.db');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (v TEXT)');
    db.prepare('INSERT INTO t (v) VALUES (?)').run(`header: Bearer ${secret}`);
    const live = await scanForSecret(secret, [dir]);
    expect(live.some((h) => h.file.endsWith('store.db-wal'))).toBe(true);
    db.close();
    const after = await scanForSecret(secret, [file, `${file}-wal`, `${file}-shm`]);
    expect(after.some((h) => h.file === file)).toBe(true);
  });

  it('finds base64 (any alignment, base64url too), URL-encoded and UTF-16 forms', async () => {
    const secret = `${plantSecret()}/+?`;
    for (let pad = 0; pad < 3; pad++) {
      const b64 = Buffer.from(`${'x'.repeat(pad)}Authorization: Bearer ${secret}; more`).toString('base64');
      writeFileSync(join(dir, `b64-${pad}.txt`), `data=${b64}`);
    }
    writeFileSync(join(dir, 'b64url.txt'), Buffer.from(`k=${secret}`).toString('base64url'));
    writeFileSync(join(dir, 'url.txt'), `https://x.test/?key=${encodeURIComponent(secret)}`);
    writeFileSync(join(dir, 'u16.bin'), Buffer.from(`key ${secret}`, 'utf16le'));
    const hits = await scanForSecret(secret, [dir]);
    const byFile = Object.fromEntries(hits.map((h) => [h.file.slice(dir.length + 1), h.form]));
    expect(byFile).toEqual({
      'b64-0.txt': 'base64',
      'b64-1.txt': 'base64',
      'b64-2.txt': 'base64',
      'b64url.txt': 'base64',
      'url.txt': 'url-encoded',
      'u16.bin': 'utf16le',
    });
  });

  it('skips missing paths', async () => {
    expect(await scanForSecret(plantSecret(), [join(dir, 'nope.db-wal')])).toEqual([]);
  });
});
