import type { ResultRecord } from '../core/types.ts';
import type { EvalReport } from './eval-report.ts';

export type ExportFormat = 'json' | 'jsonl' | 'csv' | 'junit';
export const exportFormats: ExportFormat[] = ['json', 'jsonl', 'csv', 'junit'];

type Write = (chunk: string) => void | Promise<void>;

/**
 * Streams a run's results in one of the export formats. `results` is called once per pass it needs
 * (JUnit reads once per prompt × model group), so memory stays flat however large the run.
 */
export async function exportResults(
  format: ExportFormat,
  report: EvalReport,
  results: () => AsyncIterable<ResultRecord>,
  write: Write,
): Promise<void> {
  if (format === 'jsonl') {
    for await (const r of results()) await write(`${JSON.stringify(r)}\n`);
  } else if (format === 'json') {
    await write(`{"schemaVersion":1,"report":${JSON.stringify(report)},"results":[`);
    let first = true;
    for await (const r of results()) {
      await write(`${first ? '\n' : ',\n'}${JSON.stringify(r)}`);
      first = false;
    }
    await write('\n]}\n');
  } else if (format === 'csv') {
    await write(`${csvColumns.join(',')}\n`);
    for await (const r of results()) await write(`${csvRow(r).map(csvCell).join(',')}\n`);
  } else {
    await writeJunit(report, results, write);
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

async function writeJunit(report: EvalReport, results: () => AsyncIterable<ResultRecord>, write: Write) {
  const s = report.summary;
  const failures = s.groups.reduce((n, g) => n + g.failed, 0);
  await write('<?xml version="1.0" encoding="UTF-8"?>\n');
  await write(
    `<testsuites name="assay run ${xmlText(report.run.id)}" tests="${s.total}" failures="${failures}" errors="${s.errors}">\n`,
  );
  for (const g of s.groups) {
    const suiteName = `${g.prompt}@${g.promptVersion} × ${g.modelId}`;
    await write(
      `  <testsuite name="${xmlText(suiteName)}" tests="${g.total}" failures="${g.failed}" errors="${g.errors}">\n`,
    );
    if (g.passRate)
      await write(
        `    <properties><property name="pass_rate" value="${g.passRate.estimate}"/><property name="pass_rate_ci_lower" value="${g.passRate.lower}"/><property name="pass_rate_ci_upper" value="${g.passRate.upper}"/></properties>\n`,
      );
    for await (const r of results()) {
      if (r.promptVersion !== g.promptVersion || r.modelId !== g.modelId) continue;
      const name = r.repeat > 0 ? `${r.caseId}#${r.repeat}` : r.caseId;
      const time = ((r.latencyMs ?? 0) / 1000).toFixed(3);
      const open = `    <testcase classname="${xmlText(suiteName)}" name="${xmlText(name)}" time="${time}"`;
      if (r.status === 'pass') {
        await write(`${open}/>\n`);
        continue;
      }
      await write(`${open}>\n`);
      if (r.status === 'error') {
        const msg = r.error ? `${r.error.kind}: ${r.error.message}` : 'error';
        await write(`      <error message="${xmlText(msg)}" type="${xmlText(r.error?.kind ?? 'error')}"/>\n`);
      } else {
        const failed = r.checks.filter((c) => !c.pass);
        const msg = failed.map((c) => `${c.name ?? c.type}: ${c.reason}`).join('; ') || 'failed';
        await write(`      <failure message="${xmlText(msg)}" type="check"/>\n`);
      }
      if (r.output !== undefined)
        await write(`      <system-out>${xmlText(r.output.slice(0, 4000))}</system-out>\n`);
      await write('    </testcase>\n');
    }
    await write('  </testsuite>\n');
  }
  await write('</testsuites>\n');
}
