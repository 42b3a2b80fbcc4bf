import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssayError } from '../../core/errors.ts';
import { applyMigrations } from './apply-migrations.ts';
import type { Migration } from './migrations.ts';

const m1: Migration = { version: 1, name: 'things', sql: 'CREATE TABLE things (id TEXT PRIMARY KEY);' };
const m2: Migration = {
  version: 2,
  name: 'thing labels',
  sql: "ALTER TABLE things ADD COLUMN label TEXT NOT NULL DEFAULT '';\nCREATE INDEX things_label ON things (label);",
};
const m3: Migration = { version: 3, name: 'broken', sql: 'CREATE TABLE half (x);\nTHIS IS NOT SQL;' };

function versions(db: DatabaseSync): number[] {
  return (
    db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]
  ).map((r) => r.version);
}

function tables(db: DatabaseSync): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_'));
}

describe('applyMigrations', () => {
  let db: DatabaseSync;
  beforeEach(() => {
    db = new DatabaseSync(':memory:');
  });
  afterEach(() => {
    db.close();
  });

  it('migrates an empty database through every migration, recording each', () => {
    expect(applyMigrations(db, [m1, m2])).toEqual({ version: 2, applied: [1, 2] });
    expect(versions(db)).toEqual([1, 2]);
    expect(tables(db)).toEqual(['schema_migrations', 'things']);
    const row = db.prepare('SELECT name, applied_at FROM schema_migrations WHERE version = 2').get() as {
      name: string;
      applied_at: string;
    };
    expect(row.name).toBe('thing labels');
    expect(new Date(row.applied_at).toISOString()).toBe(row.applied_at);
  });

  it('is a no-op on a database that is already current', () => {
    applyMigrations(db, [m1, m2]);
    db.prepare("INSERT INTO things (id, label) VALUES ('a', 'kept')").run();
    expect(applyMigrations(db, [m1, m2])).toEqual({ version: 2, applied: [] });
    expect(versions(db)).toEqual([1, 2]);
    expect(db.prepare('SELECT label FROM things').get()).toEqual({ label: 'kept' });
  });

  it('brings an older database up to date, keeping its data', () => {
    applyMigrations(db, [m1]);
    db.prepare("INSERT INTO things (id) VALUES ('old')").run();
    expect(applyMigrations(db, [m1, m2])).toEqual({ version: 2, applied: [2] });
    expect(db.prepare('SELECT id, label FROM things').all()).toEqual([{ id: 'old', label: '' }]);
  });

  it('rolls a failing migration back entirely and says which one failed', () => {
    applyMigrations(db, [m1]);
    expect(() => applyMigrations(db, [m1, m2, m3], 'test.db')).toThrow(
      /test\.db: schema migration 3 \(broken\) failed/,
    );
    expect(versions(db)).toEqual([1, 2]);
    expect(tables(db)).not.toContain('half');
    expect(db.isTransaction).toBe(false);
  });

  it('refuses a database written by a newer version, without touching it', () => {
    applyMigrations(db, [m1, m2]);
    let error: unknown;
    try {
      applyMigrations(db, [m1], 'store.db');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssayError);
    expect((error as AssayError).exitCode).toBe(2);
    expect((error as Error).message).toBe(
      'store.db: this store was written by a newer Assay (schema 2 > 1); upgrade assay',
    );
    expect(versions(db)).toEqual([1, 2]);
  });
});
