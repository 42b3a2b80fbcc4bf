import { resolve } from 'node:path';
import { checkPostgresStore, checkSqliteStore, type DbCheckReport } from '../../app/db-check.ts';
import { locateStore } from '../../app/locate-store.ts';
import { isDatabaseUrl } from '../../store/database-url.ts';
import { databaseUrlFor } from '../../store/open-store.ts';

interface DbCheckFlags {
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

/**
 * `assay db check`: integrity of the run store, changing nothing. Exit 0 healthy, 1 problems found (each
 * listed), 2 when there is no store to check or it cannot be opened.
 */
export async function dbCheckCommand(flags: DbCheckFlags): Promise<number> {
  const path =
    flags.store !== undefined && !isDatabaseUrl(flags.store)
      ? resolve(flags.cwd, flags.store) // a damaged file is still checked: locateStore would only test it exists
      : await locateStore(flags);
  const url = isDatabaseUrl(flags.store) ? flags.store : databaseUrlFor({ path });
  const report: DbCheckReport =
    url === undefined ? await checkSqliteStore(path) : await checkPostgresStore(url);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  }
  const c = report.checked;
  const lines = [
    `backend  ${report.backend === 'postgres' ? 'PostgreSQL' : 'SQLite'}`,
    `store    ${report.store}`,
    `schema   ${report.schemaVersion} (this Assay: ${report.knownVersion})`,
    `checked  ${c.runs} runs, ${c.results} results, ${c.cache} cache entries, ${c.annotations} annotations`,
  ];
  if (report.ok) lines.push('ok: no problems found');
  else {
    lines.push(`${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} found:`);
    for (const p of report.problems) lines.push(`  [${p.check}] ${p.message}`);
    lines.push(
      'Resume an incomplete run with `assay eval --resume RUN`; restore a damaged file from a copy.',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return report.ok ? 0 : 1;
}
