import type pg from 'pg';
import type { WorkItem } from '../engine/plan-run.ts';
import { fromPgText, toPgText } from '../store/postgres/pg-text.ts';
import { resultKey } from '../store/store.ts';
import { keyOfItem } from './eval-job.ts';

/**
 * Keys of the results already stored for these items of a run — one indexed query for the job's items,
 * not the whole run, so a retried job skips what a dead worker wrote without reading 100,000 keys.
 * `exceptErrors` leaves errored results out (a resume tries those calls again).
 */
export async function storedKeys(
  pool: pg.Pool,
  runId: string,
  items: readonly WorkItem[],
  options: { exceptErrors?: boolean } = {},
): Promise<Set<string>> {
  if (items.length === 0) return new Set();
  const keys = items.map(keyOfItem);
  const { rows } = await pool.query<{
    prompt_version: string;
    model_id: string;
    case_id: string;
    repeat: number;
  }>(
    `SELECT prompt_version, model_id, case_id, repeat FROM results
     WHERE run_id = $1 AND (prompt_version, model_id, case_id, repeat) IN
       (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]))${
         options.exceptErrors ? " AND status <> 'error'" : ''
       }`,
    [
      toPgText(runId),
      keys.map((k) => toPgText(k.promptVersion)),
      keys.map((k) => toPgText(k.modelId)),
      keys.map((k) => toPgText(k.caseId)),
      keys.map((k) => k.repeat),
    ],
  );
  return new Set(
    rows.map((r) =>
      resultKey({
        promptVersion: fromPgText(r.prompt_version),
        modelId: fromPgText(r.model_id),
        caseId: fromPgText(r.case_id),
        repeat: r.repeat,
      }),
    ),
  );
}
