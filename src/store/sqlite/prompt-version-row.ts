import type { PromptVersionRecord } from '../store.ts';

/** A `prompt_versions` row as SQLite returns it. */
export interface PromptVersionRow {
  name: string;
  version: string;
  file: string;
  source: string;
  parent: string | null;
  author: string | null;
  git_commit: string | null;
  message: string | null;
  created_at: string;
}

/** Absent optional fields are left out (not `undefined`), so records compare equal to what was written. */
export function promptVersionFromRow(row: PromptVersionRow): PromptVersionRecord {
  const record: PromptVersionRecord = {
    name: row.name,
    version: row.version,
    file: row.file,
    source: row.source,
    createdAt: row.created_at,
  };
  if (row.parent !== null) record.parent = row.parent;
  if (row.author !== null) record.author = row.author;
  if (row.git_commit !== null) record.gitCommit = row.git_commit;
  if (row.message !== null) record.message = row.message;
  return record;
}
