import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { buildEvalReport } from '../../app/build-eval-report.ts';
import { locateStore } from '../../app/locate-store.ts';
import { AssayError } from '../../core/errors.ts';
import { type ExportFormat, exportResults } from '../../reporters/export-results.ts';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.ts';

interface ExportFlags {
  cwd: string;
  config?: string;
  store?: string;
  format: ExportFormat;
  output?: string;
  json?: boolean;
}

/** Streams a run to stdout or, atomically (temp file + rename), to --output. */
export async function exportCommand(id: string, flags: ExportFlags): Promise<number> {
  const store = openSqliteStore(await locateStore(flags));
  try {
    const run = await store.findRun(id);
    if (!run) throw new AssayError(`no run '${id}'; see \`assay runs list\``, 2);
    const report = await buildEvalReport({ store, run, maxErrorRate: 1 });
    const results = () => store.iterateResults(run.id);
    if (!flags.output) {
      await exportResults(flags.format, report, results, async (chunk) => {
        if (!process.stdout.write(chunk)) await once(process.stdout, 'drain');
      });
      return 0;
    }
    const tmp = `${flags.output}.${process.pid}.tmp`;
    const out = createWriteStream(tmp);
    try {
      await exportResults(flags.format, report, results, async (chunk) => {
        if (!out.write(chunk)) await once(out, 'drain');
      });
      out.end();
      await once(out, 'finish');
      await rename(tmp, flags.output);
    } catch (e) {
      out.destroy();
      await rm(tmp, { force: true });
      throw e;
    }
    const msg = { exported: run.id, format: flags.format, file: flags.output, results: report.summary.total };
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(msg)}\n`
        : `wrote ${msg.results} results of run ${run.id} to ${flags.output} (${flags.format})\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
