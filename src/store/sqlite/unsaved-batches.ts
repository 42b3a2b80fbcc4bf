import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { AssayError } from '../../core/errors.ts';
import type { ResultRecord } from '../../core/types.ts';
import type { CacheEntry } from '../store.ts';

/**
 * Answers are paid for: when a batch cannot be written because another process holds the store's write
 * lock past the busy timeout, the batch goes to a side file beside the store (`<store>.unsaved.jsonl`,
 * one JSON line per batch, fsynced) instead of being dropped, and the next Assay that opens the store
 * writes it in. `assay eval --resume` then finds those results stored and does not ask for them again.
 */

export function unsavedPath(storeFile: string): string {
  return `${storeFile}.unsaved.jsonl`;
}

/** Appends a batch to the side file; false when even that fails (a full disk), so the caller can say so. */
export function keepUnsaved(storeFile: string, results: ResultRecord[], cache: CacheEntry[]): boolean {
  try {
    const fd = openSync(unsavedPath(storeFile), 'a', 0o600);
    try {
      appendFileSync(fd, `${JSON.stringify({ results, cache })}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the kept batches into the store and removes the side file. The file is first renamed to a name
 * of this process's own, so a batch appended meanwhile by another process is not lost, and two processes
 * opening the store at once do not both import it. A batch that still cannot be written is put back.
 * A torn last line (the process died while appending) is skipped: its answers were never acknowledged.
 */
export function recoverUnsaved(
  storeFile: string,
  write: (results: ResultRecord[], cache: CacheEntry[]) => void,
  runExists: (runId: string) => boolean,
): number {
  const file = unsavedPath(storeFile);
  if (!existsSync(file)) return 0;
  const claimed = `${file}.${process.pid}-${Date.now()}`;
  try {
    renameSync(file, claimed);
  } catch {
    return 0; // another process claimed it first
  }
  let recovered = 0;
  const putBack: string[] = [];
  for (const line of readFileSync(claimed, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let batch: { results: ResultRecord[]; cache: CacheEntry[] };
    try {
      batch = JSON.parse(line) as typeof batch;
    } catch {
      continue;
    }
    const results = batch.results.filter((r) => runExists(r.runId));
    try {
      write(results, batch.cache ?? []);
      recovered += results.length;
    } catch {
      putBack.push(line); // still locked (or unwritable): kept for the next open
    }
  }
  for (const line of putBack) appendFileSync(file, `${line}\n`, { mode: 0o600 });
  rmSync(claimed, { force: true });
  return recovered;
}

/** SQLITE_BUSY: another connection holds the write lock past our busy timeout. */
export function isBusy(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string };
  return (
    (typeof e?.errcode === 'number' && (e.errcode & 0xff) === 5) ||
    /database is locked/i.test(e?.message ?? '')
  );
}

/** SQLITE_FULL, or an I/O error while growing the file: the disk (or the file size limit) is full. */
export function isFull(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string; code?: string };
  return (
    (typeof e?.errcode === 'number' && ((e.errcode & 0xff) === 13 || (e.errcode & 0xff) === 10)) ||
    e?.code === 'ENOSPC' ||
    e?.code === 'EFBIG' ||
    /disk is full|disk I\/O error/i.test(e?.message ?? '')
  );
}

/**
 * The AssayError for a failed store write, in words a user can act on. Exit 3: the run is incomplete and
 * `assay eval --resume` finishes it.
 */
export function storeWriteError(
  file: string,
  error: unknown,
  doing: string,
  kept?: { results: number; file: string },
): AssayError {
  if (error instanceof AssayError) return error;
  const keptNote = kept
    ? `; the ${kept.results} answers of this batch are kept in ${kept.file} and stored by the next Assay that opens the store`
    : '';
  if (isBusy(error))
    return new AssayError(
      `cannot ${doing}: the run store ${file} is locked by another process (waited 5 s for its write lock)${keptNote}. Let the other writer finish, then run \`assay eval --resume\``,
      3,
    );
  if (isFull(error))
    return new AssayError(
      `cannot ${doing}: the disk holding the run store ${file} is full (${(error as Error).message})${keptNote}. Free some space, then run \`assay eval --resume\``,
      3,
    );
  return new AssayError(`cannot ${doing} in the run store ${file}: ${(error as Error).message}`, 3);
}
