import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../core/types.ts';
import { type ResultRow, resultColumns, resultFromRow, resultToRow } from './result-row.ts';

const minimal: ResultRecord = {
  runId: 'r',
  prompt: 'p',
  promptVersion: 'v',
  modelId: 'fake:echo',
  caseId: 'c',
  repeat: 0,
  status: 'pass',
  checks: [],
  usage: {},
  cost: null,
  attempts: 1,
  cached: true,
  createdAt: '2025-01-01T00:00:00.000Z',
};

describe('result rows', () => {
  it('binds only SQLite-safe values: absent → null, booleans → 0/1 (Node 22 binds neither)', () => {
    const row = resultToRow(minimal);
    expect(row).toHaveLength(resultColumns.length);
    for (const value of row) expect(['string', 'number', 'object']).toContain(typeof value);
    const at = (c: (typeof resultColumns)[number]) => row[resultColumns.indexOf(c)];
    expect(at('cached')).toBe(1);
    expect(at('output')).toBeNull();
    expect(at('tool_calls')).toBeNull();
    expect(at('cost')).toBeNull();
    expect(at('checks')).toBe('[]');
  });

  it('reads back exactly what it wrote, leaving absent fields absent', () => {
    const row = Object.fromEntries(
      resultColumns.map((c, i) => [c, resultToRow(minimal)[i]]),
    ) as unknown as ResultRow;
    expect(resultFromRow(row)).toStrictEqual(minimal);
  });
});
