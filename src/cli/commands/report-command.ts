import { writeReport } from '../../report/write-report.ts';
import { version } from '../version.ts';

interface ReportFlags {
  cwd: string;
  config?: string;
  store?: string;
  compare?: string;
  output: string;
  seed: number;
  json?: boolean;
}

/**
 * `assay report RUN [--compare BASELINE] -o FILE.html|FILE.md`: writes the report and every result beside
 * it as JSONL. Exit 0; 2 for an unknown run, a wrong extension or a missing folder (AssayError).
 */
export async function reportCommand(run: string, flags: ReportFlags): Promise<number> {
  const r = await writeReport({
    cwd: flags.cwd,
    config: flags.config,
    store: flags.store,
    run,
    compare: flags.compare,
    output: flags.output,
    seed: flags.seed,
    assayVersion: version(),
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else
    process.stdout.write(
      `wrote ${r.file} (${(r.bytes / 1024).toFixed(0)} KB, ${r.embedded} of ${r.results} results embedded${r.baselineRunId ? `, compared with run ${r.baselineRunId}` : ''}) and every result to ${r.resultsFile}\n`,
    );
  return 0;
}
