import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from './apply-migrations.ts';
import { migrations } from './migrations.ts';

describe('migrations', () => {
  it('are numbered 1, 2, 3… in order, each named', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    for (const m of migrations) expect(m.name.trim()).not.toBe('');
  });

  it('create the runs, results and cache tables', () => {
    const db = new DatabaseSync(':memory:');
    applyMigrations(db, migrations);
    const columns = (table: string) =>
      (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
    expect(columns('runs')).toEqual([
      'id',
      'status',
      'manifest',
      'planned',
      'created_at',
      'finished_at',
      'cost',
      'cost_unknown',
    ]);
    expect(columns('results')).toContain('seq');
    expect(columns('results')).toContain('tool_calls');
    expect(columns('cache')).toEqual(['key', 'value', 'created_at']);
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT * FROM results WHERE run_id = ? ORDER BY seq')
      .all('r') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX results_run_seq/);
    db.close();
  });
});
