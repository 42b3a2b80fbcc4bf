import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations.ts';
import { isMemoryPath, openDatabase } from './open-database.ts';

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assay-open-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets WAL, synchronous NORMAL, foreign keys and a 5 s busy timeout', () => {
    const { db, schemaVersion } = openDatabase(join(dir, 'a', 'b', 'assay.db'));
    const pragma = (name: string) => Object.values(db.prepare(`PRAGMA ${name}`).get() ?? {})[0];
    expect(pragma('journal_mode')).toBe('wal');
    expect(pragma('synchronous')).toBe(1);
    expect(pragma('foreign_keys')).toBe(1);
    expect(pragma('busy_timeout')).toBe(5000);
    expect(schemaVersion).toBe(migrations.length);
    db.close();
  });

  it('opens an in-memory database', () => {
    const { db, schemaVersion } = openDatabase(':memory:');
    expect(schemaVersion).toBe(migrations.length);
    db.close();
    expect(isMemoryPath(':memory:')).toBe(true);
    expect(isMemoryPath('assay.db')).toBe(false);
  });

  it('re-opening migrates nothing', () => {
    const file = join(dir, 'assay.db');
    openDatabase(file).db.close();
    const { db } = openDatabase(file);
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: migrations.length });
    db.close();
  });
});
