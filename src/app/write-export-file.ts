import { once } from 'node:events';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { AssayError } from '../core/errors.ts';
import { type ExportFormat, type ExportRun, exportRuns } from '../reporters/export-results.ts';

const byExtension: Record<string, ExportFormat> = {
  '.json': 'json',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.xml': 'junit',
};

/** The export format a file name asks for (`results.xml` → JUnit), or a usage error naming the choices. */
export function formatForFile(file: string): ExportFormat {
  const format = byExtension[extname(file).toLowerCase()];
  if (!format)
    throw new AssayError(
      `cannot tell the export format of '${file}' from its extension; use .json, .jsonl, .csv or .xml (JUnit)`,
      2,
    );
  return format;
}

/** Checks, before any model call, that `file` can be written where it is asked to go. */
export function checkExportTarget(file: string): ExportFormat {
  const format = formatForFile(file);
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new AssayError(`cannot write ${file}: its folder does not exist`, 2);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new AssayError(`cannot write ${file}: it is a folder`, 2);
  return format;
}

/** Writes runs to `file` atomically: a temp file beside it, renamed into place once complete. */
export async function writeExportFile(file: string, format: ExportFormat, runs: ExportRun[]): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  try {
    await once(out, 'open');
    await exportRuns(format, runs, async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain');
    });
    out.end();
    await once(out, 'finish');
    await rename(tmp, file);
  } catch (e) {
    out.destroy();
    await rm(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES' || code === 'ENOTDIR')
      throw new AssayError(
        `cannot write ${file}: ${code === 'ENOENT' ? 'its folder does not exist' : code}`,
        2,
      );
    throw e;
  }
}
