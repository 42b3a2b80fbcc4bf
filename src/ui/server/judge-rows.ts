import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Project } from '../../core/config/project.ts';
import { isJudgeSpec } from '../../judges/judge-check.ts';
import type { JudgeSpec } from '../../judges/judge-file.ts';
import { type JudgeValidationRecord, judgeStatus, validationFileOf } from '../../judges/judge-status.ts';

export interface JudgeRow {
  file: string;
  name: string;
  version: string;
  model: string;
  kind: string;
  scale: string;
  status: string;
  reason: string;
  validation?: JudgeValidationRecord;
}

/** The judges the project's suites use (one suite's when named), each with its validation status. */
export async function judgeRows(
  root: string,
  project: Project | undefined,
  suite?: string,
): Promise<JudgeRow[]> {
  if (!project) return [];
  const specs = new Map<string, JudgeSpec>();
  for (const s of project.suites) {
    if (suite !== undefined && s.name !== suite) continue;
    for (const c of s.cases)
      for (const check of c.checks) if (isJudgeSpec(check.judge)) specs.set(check.judge.file, check.judge);
  }
  const rows: JudgeRow[] = [];
  for (const spec of [...specs.values()].sort((a, b) => a.file.localeCompare(b.file))) {
    const { status, reason } = await judgeStatus(spec.file, { root });
    const validation = await readValidation(resolve(root, spec.file));
    rows.push({
      file: spec.file,
      name: spec.name,
      version: spec.version,
      model: spec.model,
      kind: spec.kind,
      scale: spec.scale,
      status,
      reason,
      ...(validation ? { validation } : {}),
    });
  }
  return rows;
}

async function readValidation(judgeFileAbs: string): Promise<JudgeValidationRecord | undefined> {
  try {
    const v = JSON.parse(await readFile(validationFileOf(judgeFileAbs), 'utf8')) as JudgeValidationRecord;
    return typeof v === 'object' && v !== null && typeof v.judgeVersion === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
