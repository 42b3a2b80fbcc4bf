import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseUrlFor, openStore } from './open-store.ts';

describe('openStore', () => {
  it('picks PostgreSQL from url, then ASSAY_DATABASE_URL, then a URL as the store path', () => {
    const env = { ASSAY_DATABASE_URL: 'postgres://env/db' };
    expect(databaseUrlFor({ url: 'postgres://flag/db', path: 'x.db', env })).toBe('postgres://flag/db');
    expect(databaseUrlFor({ path: 'x.db', env })).toBe('postgres://env/db');
    expect(databaseUrlFor({ path: 'postgresql://config/db', env: {} })).toBe('postgresql://config/db');
    expect(databaseUrlFor({ path: '/p/.assay/assay.db', env: { ASSAY_DATABASE_URL: ' ' } })).toBeUndefined();
  });

  it('opens SQLite at the path when no database URL is set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assay-open-'));
    try {
      const store = await openStore({ path: join(dir, 'assay.db'), env: {} });
      expect(await store.listRuns()).toEqual([]);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the server without its password when it cannot connect (exit 2)', async () => {
    const error = await openStore({
      path: 'x.db',
      url: 'postgres://u:topsecret@127.0.0.1:1/db',
      env: {},
    }).then(
      () => undefined,
      (e: unknown) => e as Error & { exitCode: number },
    );
    expect(error?.exitCode).toBe(2);
    expect(error?.message).toContain('postgres://u:***@127.0.0.1:1/db');
    expect(error?.message).not.toContain('topsecret');
  });
});
