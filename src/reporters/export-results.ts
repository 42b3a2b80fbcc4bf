import type { ResultRecord } from '../core/types.ts';
import type { EvalReport } from './eval-report.ts';

export type ExportFormat = 'json' | 'jsonl' | 'csv' | 'junit';
export const exportFormats: ExportFormat[] = ['json', 'jsonl', 'csv', 'junit'];

type Write = (chunk: string) => void | Promise<void>;

/** One run to export: its report, and its results as a stream that can be read more than once. */
export interface ExportRun {
  report: EvalReport;
  results: () => AsyncIterable<ResultRecord>;
}

/** Streams one run's results (see exportRuns). */
export function exportResults(
  format: ExportFormat,
  report: EvalReport,
  results: () => AsyncIterable<ResultRecord>,
  write: Write,
): Promise<void> {
  return exportRuns(format, [{ report, results }], write);
}

/**
 * Streams the results of one or more runs (an eval over several suites) in one of the export formats.
 * JSON is `{ schemaVersion, runs: [{ report, results }] }`; JSONL and CSV are one line per result (the
 * run id is a field); JUnit has one `<testsuite>` per run × prompt × model. `results` is called once per
 * pass it needs (JUnit reads once per group), so memory stays flat however large the runs.
 */
export async function exportRuns(format: ExportFormat, runs: ExportRun[], write: Write): Promise<void> {
  if (format === 'jsonl') {
    for (const run of runs) for await (const r of run.results()) await write(`${JSON.stringify(r)}\n`);
  } else if (format === 'json') {
    await write('{"schemaVersion":1,"runs":[');
    for (const [i, run] of runs.entries()) {
      await write(`${i ? ',' : ''}\n{"report":${JSON.stringify(run.report)},"results":[`);
      let first = true;
      for await (const r of run.results()) {
        await write(`${first ? '\n' : ',\n'}${JSON.stringify(r)}`);
        first = false;
      }
      await write('\n]}');
    }
    await write('\n]}\n');
  } else if (format === 'csv') {
    await write(`${csvColumns.join(',')}\n`);
    for (const run of runs)
      for await (const r of run.results()) await write(`${csvRow(r).map(csvCell).join(',')}\n`);
  } else {
    await writeJunit(runs, write);
  }
}

const csvColumns = [
  'run_id',
  'prompt',
  'prompt_version',
  'model_id',
  'case_id',
  'repeat',
  'status',
  'score',
  'category',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'cached',
  'attempts',
  'error',
  'failed_checks',
  'output',
];

function csvRow(r: ResultRecord): unknown[] {
  return [
    r.runId,
    r.prompt,
    r.promptVersion,
    r.modelId,
    r.caseId,
    r.repeat,
    r.status,
    r.score,
    r.category,
    r.latencyMs === undefined ? undefined : Math.round(r.latencyMs),
    r.usage.inputTokens,
    r.usage.outputTokens,
    r.cost === null ? 'unknown' : r.cost,
    r.cached,
    r.attempts,
    r.error ? `${r.error.kind}: ${r.error.message}` : undefined,
    r.checks
      .filter((c) => !c.pass)
      .map((c) => `${c.name ?? c.type}: ${c.reason}`)
      .join('; '),
    r.output,
  ];
}

/** RFC 4180 quoting, plus a leading ' on cells a spreadsheet would run as a formula (hostile output). */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'string' ? v : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** XML 1.0 text: escapes markup and drops characters XML cannot carry. */
export function xmlText(s: string): string {
  return (
    s
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

/**
 * XML 1.0 attribute value (in double or single quotes): as xmlText, and tab, newline and carriage return
 * as character references, which a parser keeps (written as is, it turns each into a space).
 */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

async function writeJunit(runs: ExportRun[], write: Write) {
  const groups = runs.flatMap((run) => run.report.summary.groups.map((g) => ({ run, g })));
  const tests = groups.reduce((n, x) => n + x.g.total, 0);
  const failures = groups.reduce((n, x) => n + x.g.failed, 0);
  const errors = groups.reduce((n, x) => n + x.g.errors, 0);
  const name =
    runs.length === 1
      ? `assay run ${runs[0]?.report.run.id}`
      : `assay runs ${runs.map((r) => r.report.run.id).join(' ')}`;
  await write('<?xml version="1.0" encoding="UTF-8"?>\n');
  await write(
    `<testsuites name="${xmlAttr(name)}" tests="${tests}" failures="${failures}" errors="${errors}">\n`,
  );
  for (const { run, g } of groups) {
    const suiteName = `${run.report.run.suite.name}: ${g.prompt}@${g.promptVersion} × ${g.modelId}`;
    await write(
      `  <testsuite name="${xmlAttr(suiteName)}" tests="${g.total}" failures="${g.failed}" errors="${g.errors}">\n`,
    );
    if (g.passRate)
      await write(
        `    <properties><property name="pass_rate" value="${g.passRate.estimate}"/><property name="pass_rate_ci_lower" value="${g.passRate.lower}"/><property name="pass_rate_ci_upper" value="${g.passRate.upper}"/></properties>\n`,
      );
    for await (const r of run.results()) {
      if (r.promptVersion !== g.promptVersion || r.modelId !== g.modelId) continue;
      const name = r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
      const time = ((r.latencyMs ?? 0) / 1000).toFixed(3);
      const open = `    <testcase classname="${xmlAttr(suiteName)}" name="${xmlAttr(name)}" time="${time}"`;
      if (r.status === 'pass') {
        await write(`${open}/>\n`);
        continue;
      }
      await write(`${open}>\n`);
      if (r.status === 'error') {
        const msg = r.error ? `${r.error.kind}: ${r.error.message}` : 'error';
        await write(`      <error message="${xmlAttr(msg)}" type="${xmlAttr(r.error?.kind ?? 'error')}"/>\n`);
      } else {
        const failed = r.checks.filter((c) => !c.pass);
        const msg = failed.map((c) => `${c.name ?? c.type}: ${c.reason}`).join('; ') || 'failed';
        await write(`      <failure message="${xmlAttr(msg)}" type="check"/>\n`);
      }
      if (r.output !== undefined)
        await write(`      <system-out>${xmlText(r.output.slice(0, 4000))}</system-out>\n`);
      await write('    </testcase>\n');
    }
    await write('  </testsuite>\n');
  }
  await write('</testsuites>\n');
}
