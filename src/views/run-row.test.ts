import { describe, expect, it } from 'vitest';
import type { GroupSummary } from '../core/stats/summarize-results.ts';
import { wilsonInterval } from '../core/stats/wilson.ts';
import type { RunRecord } from '../core/types.ts';
import { runRow } from './run-row.ts';

const run = (repeats = 1, costUnknown = false) =>
  ({
    id: 'abc',
    status: 'completed',
    createdAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    planned: 10,
    cost: 0.5,
    costUnknown,
    manifest: {
      suite: { name: 's' },
      prompts: [{ name: 'p', version: 'v1', file: 'p.md', source: '' }],
      models: [
        { id: 'm1', settings: {} },
        { id: 'm2', settings: {} },
      ],
      repeats,
    },
  }) as unknown as RunRecord;

const group = (
  passed: number,
  failed: number,
  errors: number,
  interval = { estimate: 0.9, lower: 0.5, upper: 0.99 },
) => ({ passed, failed, errors, passRate: interval }) as unknown as GroupSummary;

describe('runRow', () => {
  it("uses the group's own interval when the run holds one group", () => {
    const row = runRow(run(), { summary: { groups: [group(9, 1, 2)], total: 12, errors: 2, warnings: [] } });
    expect(row).toMatchObject({
      id: 'abc',
      suite: 's',
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:01:00Z',
      prompts: [{ name: 'p', version: 'v1' }],
      models: ['m1', 'm2'],
      total: 12,
      passed: 9,
      failed: 1,
      errors: 2,
      cost: 0.5,
      passRate: { estimate: 0.9, lower: 0.5, upper: 0.99 },
    });
  });

  it('pools groups with a Wilson interval; none with repeats; null cost when a price is unknown', () => {
    const summary = { groups: [group(3, 1, 0), group(2, 2, 1)], total: 9, errors: 1, warnings: [] };
    const w = wilsonInterval(5, 8);
    expect(runRow(run(), { summary }).passRate).toStrictEqual({
      estimate: 5 / 8,
      lower: w.lower,
      upper: w.upper,
    });
    expect(runRow(run(3), { summary }).passRate).toBeNull();
    expect(runRow(run(1, true), { summary }).cost).toBeNull();
  });
});
