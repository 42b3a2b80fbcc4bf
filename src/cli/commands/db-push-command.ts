import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { dbPush } from '../../app/db-push.ts';
import { locateStore } from '../../app/locate-store.ts';
import { AssayError } from '../../core/errors.ts';
import { isDatabaseUrl, redactDatabaseUrl } from '../../store/database-url.ts';
import { openStore } from '../../store/open-store.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';
import type { Store } from '../../store/store.ts';

export interface DbPushFlags {
  cwd: string;
  config?: string;
  /** Target: a PostgreSQL URL or a SQLite file path (created when absent). */
  to: string;
  /** Source SQLite file (default: the project's local store). */
  from?: string;
  json?: boolean;
}

/**
 * `assay db push --to URL|PATH [--from PATH]`: copies the local store's runs, prompt versions, label
 * history and annotations into the team store. Idempotent: pushing twice copies each run once. Exit 0, 2 on usage errors.
 */
export async function dbPushCommand(flags: DbPushFlags): Promise<number> {
  const fromPath = flags.from
    ? resolve(flags.cwd, flags.from)
    : await locateStore({ cwd: flags.cwd, config: flags.config });
  if (!existsSync(fromPath)) throw new AssayError(`no run store at ${fromPath}`, 2);
  const url = isDatabaseUrl(flags.to);
  const shownTarget = url ? redactDatabaseUrl(flags.to) : resolve(flags.cwd, flags.to);
  if (!url && resolve(flags.cwd, flags.to) === fromPath)
    throw new AssayError(`--to and --from are the same store (${fromPath}): nothing to push`, 2);
  const from = openSqliteStore(fromPath);
  let to: Store | undefined;
  try {
    to = url ? await openStore(flags.to) : openSqliteStore(resolve(flags.cwd, flags.to));
    const progress =
      !flags.json && process.stderr.isTTY
        ? (p: { run: string; index: number; total: number; results: number; skipped: boolean }) =>
            process.stderr.write(
              `\r${p.index}/${p.total} ${p.run}: ${p.skipped ? 'already there' : `${p.results} results`}\x1b[K`,
            )
        : undefined;
    const result = await dbPush({ from, to, onProgress: progress });
    if (progress) process.stderr.write('\r\x1b[K');
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ from: fromPath, to: shownTarget, ...result }, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(
      `pushed ${fromPath} → ${shownTarget}\n` +
        `  runs: ${result.runs.copied} copied, ${result.runs.skipped} already there\n` +
        `  results: ${result.results}\n` +
        `  prompt versions: ${result.promptVersions}\n` +
        `  label events: ${result.labelEvents}\n` +
        `  annotations: ${result.annotations}\n`,
    );
    return 0;
  } finally {
    await to?.close();
    await from.close();
  }
}
