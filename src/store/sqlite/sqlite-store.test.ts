import { describe, expect, it } from 'vitest';
import { migrations } from './migrations.ts';
import { openSqliteStore } from './sqlite-store.ts';

// The behaviour is covered by test/store-conformance (run against this store); here, what is SQLite's own.
describe('openSqliteStore', () => {
  it('opens in memory and reports its schema version', async () => {
    const store = openSqliteStore(':memory:');
    expect(store.path).toBe(':memory:');
    expect(store.schemaVersion).toBe(migrations.at(-1)?.version);
    await store.close();
  });

  it('refuses calls after close', async () => {
    const store = openSqliteStore(':memory:');
    await store.close();
    await expect(store.countResults('x')).rejects.toThrow();
  });
});
