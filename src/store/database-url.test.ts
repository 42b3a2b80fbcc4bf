import { describe, expect, it } from 'vitest';
import { isDatabaseUrl, redactDatabaseUrl, redactSecret } from './database-url.ts';

describe('database URLs', () => {
  it('tells a PostgreSQL URL from a file path', () => {
    expect(isDatabaseUrl('postgres://u@h/db')).toBe(true);
    expect(isDatabaseUrl('postgresql://h/db')).toBe(true);
    expect(isDatabaseUrl('.assay/assay.db')).toBe(false);
    expect(isDatabaseUrl(undefined)).toBe(false);
  });

  it('never shows the password', () => {
    expect(redactDatabaseUrl('postgres://assay:s3cr%40t@db.example:5432/runs')).toBe(
      'postgres://assay:***@db.example:5432/runs',
    );
    expect(redactDatabaseUrl('postgres://db.example/runs?user=a&password=hunter2')).toBe(
      'postgres://db.example/runs?user=a&password=***',
    );
    expect(redactDatabaseUrl('postgres://u@h/db')).toBe('postgres://u@h/db');
    expect(redactDatabaseUrl('postgres://u:p w@[bad/db')).not.toContain('p w');
  });

  it('scrubs the password from any text', () => {
    expect(redactSecret('auth failed for s3cr@t', 'postgres://assay:s3cr%40t@h/db')).toBe(
      'auth failed for ***',
    );
    expect(redactSecret('no secret here', 'postgres://h/db')).toBe('no secret here');
  });
});
