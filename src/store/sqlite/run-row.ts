import type { RunManifest, RunRecord, RunStatus } from '../../core/types.ts';

/** A `runs` row as SQLite returns it. */
export interface RunRow {
  id: string;
  status: string;
  manifest: string;
  planned: number;
  created_at: string;
  finished_at: string | null;
  cost: number;
  cost_unknown: number;
}

export function runFromRow(row: RunRow): RunRecord {
  const run: RunRecord = {
    id: row.id,
    status: row.status as RunStatus,
    manifest: JSON.parse(row.manifest) as RunManifest,
    createdAt: row.created_at,
    planned: row.planned,
    cost: row.cost,
    costUnknown: row.cost_unknown !== 0,
  };
  if (row.finished_at !== null) run.finishedAt = row.finished_at;
  return run;
}
