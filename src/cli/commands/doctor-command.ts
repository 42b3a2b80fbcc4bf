import { type DoctorLevel, doctor } from '../../app/doctor.ts';

interface DoctorFlags {
  cwd: string;
  config?: string;
  json?: boolean;
}

const marks: Record<DoctorLevel, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/** `assay doctor`: exit 0 when nothing failed (warnings allowed), 1 when something must be fixed first. */
export async function doctorCommand(flags: DoctorFlags): Promise<number> {
  const report = await doctor({ cwd: flags.cwd, config: flags.config });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return report.ok ? 0 : 1;
  }
  const width = Math.max(...report.findings.map((f) => f.subject.length));
  const lines = report.findings.map(
    (f) =>
      `${marks[f.level]}  ${f.subject.padEnd(width)}  ${f.detail}${f.fix ? `\n      ${''.padEnd(width)}  → ${f.fix}` : ''}`,
  );
  const fails = report.findings.filter((f) => f.level === 'fail').length;
  const warns = report.findings.filter((f) => f.level === 'warn').length;
  lines.push(
    fails === 0
      ? `ready${warns > 0 ? ` (${warns} warning${warns === 1 ? '' : 's'})` : ''}`
      : `${fails} problem${fails === 1 ? '' : 's'} to fix`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return report.ok ? 0 : 1;
}
