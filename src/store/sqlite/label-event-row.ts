import type { LabelEvent } from '../store.ts';

/** A `label_events` row as SQLite returns it. */
export interface LabelEventRow {
  name: string;
  label: string;
  version: string;
  previous: string | null;
  moved_at: string;
  author: string | null;
  message: string | null;
}

/** Absent optional fields are left out (not `undefined`), so events compare equal to what was written. */
export function labelEventFromRow(row: LabelEventRow): LabelEvent {
  const event: LabelEvent = { name: row.name, label: row.label, version: row.version, movedAt: row.moved_at };
  if (row.previous !== null) event.previous = row.previous;
  if (row.author !== null) event.author = row.author;
  if (row.message !== null) event.message = row.message;
  return event;
}
