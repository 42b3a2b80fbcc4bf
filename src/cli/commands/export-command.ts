import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { buildEvalReport } from '../../app/build-eval-report.ts';
import { locateStore } from '../../app/locate-store.ts';
import { loadSuiteExpected } from '../../app/suite-expected.ts';
import { AssayError } from '../../core/errors.ts';
import { type ExportFormat, exportResults } from '../../reporters/export-results.ts';
import { openStore } from '../../store/open-store.ts';

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
  const storePath = await locateStore(flags);
  if (flags.output !== undefined) await checkOutputPath(flags.output);
  const store = await openStore({ path: storePath });
  try {
    const run = await store.findRun(id);
    if (!run) throw new AssayError(`no run '${id}'; see \`assay runs list\``, 2);
    const expected = await loadSuiteExpected(run.manifest, flags);
    const report = await buildEvalReport({ store, run, maxErrorRate: 1, expected });
    const results = () => store.iterateResults(run.id);
    if (!flags.output) {
      await writeToStdout((write) => exportResults(flags.format, report, results, write));
      return 0;
    }
    const output = flags.output;
    const tmp = `${output}.${process.pid}.tmp`;
    const out = createWriteStream(tmp);
    try {
      await once(out, 'open');
      await exportResults(flags.format, report, results, async (chunk) => {
        if (!out.write(chunk)) await once(out, 'drain');
      });
      out.end();
      await once(out, 'finish');
      await rename(tmp, output);
    } catch (e) {
      out.destroy();
      await rm(tmp, { force: true });
      throw outputError(output, e);
    }
    const msg = { exported: run.id, format: flags.format, file: output, results: report.summary.total };
    process.stdout.write(
      flags.json
        ? `${JSON.stringify(msg)}\n`
        : `wrote ${msg.results} results of run ${run.id} to ${output} (${flags.format})\n`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

/** Fails early, naming the path, when --output cannot be written: a folder, or in a missing folder. */
async function checkOutputPath(output: string): Promise<void> {
  const info = await stat(output).catch(() => undefined);
  if (info?.isDirectory()) throw cannotWrite(output, 'EISDIR');
  const parent = await stat(dirname(resolve(output))).catch((e: NodeJS.ErrnoException) => e.code ?? 'ENOENT');
  if (typeof parent === 'string') throw cannotWrite(output, parent);
  if (!parent.isDirectory()) throw cannotWrite(output, 'ENOTDIR');
}

/** A file-system error writing --output as an AssayError naming the path; anything else unchanged. */
function outputError(output: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof AssayError || code === undefined) return e;
  return cannotWrite(output, code, (e as Error).message);
}

function cannotWrite(output: string, code: string, message = code): AssayError {
  const why: Record<string, string> = {
    EISDIR: 'it is a folder; give a file name',
    ENOENT: `folder ${dirname(output)} does not exist`,
    ENOTDIR: `${dirname(output)} is not a folder`,
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  };
  return new AssayError(`cannot write ${output}: ${why[code] ?? message}`, 2);
}

/**
 * Runs `produce` with a writer to stdout that waits for the pipe to drain. When the reader goes away
 * (`assay export | head`: EPIPE) the export stops quietly: the rest is not wanted, and that is no error.
 */
async function writeToStdout(
  produce: (write: (chunk: string) => Promise<void>) => Promise<void>,
): Promise<void> {
  const stdout = process.stdout;
  const state: { error?: NodeJS.ErrnoException } = {};
  // Kept for the life of the process: an EPIPE can also arrive after the last write was buffered.
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    state.error ??= e;
  });
  const closed = new Error('stdout closed');
  const check = () => {
    if (state.error) throw state.error.code === 'EPIPE' ? closed : state.error;
  };
  try {
    await produce(async (chunk) => {
      check();
      if (!stdout.write(chunk)) await drainOrError(stdout);
      check();
    });
    check();
  } catch (e) {
    if (e === closed) return;
    throw e;
  }
}

/** Resolves on 'drain', or on 'error' (after which no 'drain' comes). */
function drainOrError(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((res) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      res();
    };
    stream.on('drain', done);
    stream.on('error', done);
  });
}
