import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sha256Hex } from '../core/sha256-hex.ts';
import { projectPath } from '../project/project-path.ts';
import { parseJudgeFile } from './judge-file.ts';

/** What `assay judge validate` commits beside the judge: `<judge file>.validation.json`. */
export interface JudgeValidationRecord {
  judge: string;
  judgeVersion: string;
  judgeModel: string;
  /** The annotation files compared with, project-relative, with the sha256 of their content. */
  annotations: { file: string; sha256: string }[];
  status: 'validated' | 'weak';
  kappa: number | null;
  tpr: number | null;
  tnr: number | null;
  n: number;
  /**
   * The pass/fail counts behind TPR and TNR (absent on records written before it, and without pass/fail):
   * what the Rogan–Gladen correction of a pass rate needs for its interval.
   */
  confusion?: {
    truePositives: number;
    humanPositives: number;
    trueNegatives: number;
    humanNegatives: number;
  };
  validatedAt: string;
}

export type JudgeStatus = 'validated' | 'weak' | 'stale' | 'unvalidated';

/** The validation status file of a judge file. */
export function validationFileOf(judgeFile: string): string {
  return `${judgeFile}.validation.json`;
}

/** Writes the judge's validation record atomically (temporary file, then rename). */
export async function writeValidationRecord(
  judgeFileAbs: string,
  record: JudgeValidationRecord,
): Promise<string> {
  const target = validationFileOf(judgeFileAbs);
  const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`, 'utf8');
  await rename(tmp, target);
  return target;
}

async function fileHash(abs: string): Promise<string | undefined> {
  try {
    return sha256Hex(await readFile(abs, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The sha256 of an annotation file's content (for the record). */
export async function annotationFileHash(abs: string): Promise<string> {
  return sha256Hex(await readFile(abs, 'utf8'));
}

/**
 * A judge's validation status: `unvalidated` without a (readable) validation file, `stale` when the
 * judge's version (rubric, scale, model, settings) or an annotation file's content changed since it was
 * validated, else the stored status (`validated` or `weak`). Paths are relative to `root`.
 */
export async function judgeStatus(
  judgeFilePath: string,
  options: { root: string },
): Promise<{ status: JudgeStatus; reason: string }> {
  const abs = resolve(options.root, judgeFilePath);
  const shown = projectPath(options.root, abs);
  let record: JudgeValidationRecord;
  try {
    record = JSON.parse(await readFile(validationFileOf(abs), 'utf8')) as JudgeValidationRecord;
  } catch {
    return { status: 'unvalidated', reason: `no ${shown}.validation.json` };
  }
  if (typeof record !== 'object' || record === null || typeof record.judgeVersion !== 'string')
    return { status: 'unvalidated', reason: `${shown}.validation.json is not a validation record` };
  let version: string;
  try {
    version = parseJudgeFile(await readFile(abs, 'utf8'), shown).version;
  } catch (e) {
    return { status: 'stale', reason: `the judge file does not load (${(e as Error).message})` };
  }
  if (version !== record.judgeVersion)
    return {
      status: 'stale',
      reason: `the judge changed (rubric, scale or model) since it was validated: version ${version} is not the validated ${record.judgeVersion}`,
    };
  for (const a of Array.isArray(record.annotations) ? record.annotations : []) {
    const now = await fileHash(resolve(options.root, a.file));
    if (now === undefined) return { status: 'stale', reason: `annotation file ${a.file} is gone` };
    if (now !== a.sha256)
      return { status: 'stale', reason: `annotation file ${a.file} changed since the judge was validated` };
  }
  if (record.status === 'validated')
    return {
      status: 'validated',
      reason: `validated on ${record.n} annotated outputs at ${record.validatedAt}`,
    };
  return {
    status: 'weak',
    reason: `agrees too little with the human annotations (κ ${fmt(record.kappa)}, TPR ${fmt(record.tpr)}, TNR ${fmt(record.tnr)} on ${record.n} outputs)`,
  };
}

function fmt(x: number | null | undefined): string {
  return typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '—';
}
