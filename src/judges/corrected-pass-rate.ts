import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { roganGladen } from '../core/stats/rogan-gladen.ts';
import type { CheckResult, ResultRecord } from '../core/types.ts';
import { type JudgeValidationRecord, validationFileOf } from './judge-status.ts';

/** One prompt × model group: the judge's raw pass share there and, when possible, the corrected rate. */
export interface JudgeGroupRate {
  prompt: string;
  promptVersion: string;
  modelId: string;
  /** Judge verdicts counted: one per judge check per non-error result (each repeat counts). */
  judged: number;
  /** Of those, the ones where the judge said pass (its own verdict, before any `not: true`). */
  judgedPass: number;
  /** judgedPass / judged; null with nothing judged. */
  judgeRate: number | null;
  /** Rogan–Gladen corrected pass rate with its delta-method interval (includes the judge's uncertainty). */
  corrected: {
    estimate: number;
    lower: number;
    upper: number;
    se: number;
    /** Before clipping to [0, 1]. */
    unclipped: number;
    confidence: number;
    method: 'rogan-gladen';
  } | null;
  /** Why there is no corrected rate (judge too weak, nothing judged). */
  refused?: string;
}

/** What a report says about correcting a validated judge's pass rates. */
export type JudgeCalibration =
  | {
      available: true;
      tpr: number;
      tnr: number;
      youden: number;
      /** Human-labelled outputs behind TPR/TNR (human passes + human fails). */
      annotations: number;
      confusion: NonNullable<JudgeValidationRecord['confusion']>;
      /** `result`: each judged result counts, repeats too (the interval then treats repeats as independent). */
      countedPer: 'result';
      groups: JudgeGroupRate[];
    }
  | { available: false; reason: string };

/** The validation record beside a judge file, or undefined when it is missing or unreadable. */
export async function readValidationRecord(
  judgeFile: string,
  root: string,
): Promise<JudgeValidationRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(validationFileOf(resolve(root, judgeFile)), 'utf8'));
    return typeof record === 'object' && record !== null ? (record as JudgeValidationRecord) : undefined;
  } catch {
    return undefined;
  }
}

function validConfusion(c: unknown): c is NonNullable<JudgeValidationRecord['confusion']> {
  if (typeof c !== 'object' || c === null) return false;
  const v = c as Record<string, unknown>;
  const count = (k: string) => Number.isInteger(v[k]) && (v[k] as number) >= 0;
  return (
    count('truePositives') &&
    count('humanPositives') &&
    count('trueNegatives') &&
    count('humanNegatives') &&
    (v.truePositives as number) <= (v.humanPositives as number) &&
    (v.trueNegatives as number) <= (v.humanNegatives as number)
  );
}

/**
 * The judge's verdict behind a check result: `not: true` flips the check's pass and prefixes its reason
 * with `not: `, while the judge's own reason starts with `NAME: `; the calibration is of the judge.
 */
function judgeVerdict(check: { pass: boolean; reason: string }, name: string): boolean {
  return check.reason.startsWith(`not: ${name}: `) ? !check.pass : check.pass;
}

/** One judge's verdict on one output, as a stored check result records it. */
export interface StoredJudgeVerdict {
  judge: string;
  judgeVersion: string;
  /** The judge's own verdict (before `not: true`, or a jury's pooling). */
  pass: boolean;
}

/**
 * The judge verdicts a stored check result holds: a `judge` check's (details.judge, details.judgeVersion)
 * and each member of a `jury` (details.members). Judges nested in all/any/weighted keep no version in
 * their details and are not found. A check that broke holds none.
 */
export function storedJudgeVerdicts(check: CheckResult): StoredJudgeVerdict[] {
  if (check.error !== undefined || !check.details) return [];
  const d = check.details;
  if (typeof d.judge === 'string' && typeof d.judgeVersion === 'string')
    return [{ judge: d.judge, judgeVersion: d.judgeVersion, pass: judgeVerdict(check, d.judge) }];
  if (check.type !== 'jury' || !Array.isArray(d.members)) return [];
  return d.members.flatMap((m: unknown) => {
    const x = m as Record<string, unknown> | null;
    return x &&
      typeof x.judge === 'string' &&
      typeof x.judgeVersion === 'string' &&
      typeof x.pass === 'boolean'
      ? [{ judge: x.judge, judgeVersion: x.judgeVersion, pass: x.pass }]
      : [];
  });
}

/**
 * Counts, per prompt × model, the verdicts of one judge (by name and version) over non-error results,
 * streaming: add every result of a run, then `calibrate`.
 */
export class JudgeRateCounter {
  private readonly groups = new Map<string, JudgeGroupRate>();

  readonly name: string;
  /** Only verdicts of this judge version count (the version that was validated). */
  readonly version: string;

  constructor(name: string, version: string) {
    this.name = name;
    this.version = version;
  }

  add(r: ResultRecord): void {
    const key = `${r.prompt}\u0000${r.promptVersion}\u0000${r.modelId}`;
    let g = this.groups.get(key);
    if (!g) {
      g = {
        prompt: r.prompt,
        promptVersion: r.promptVersion,
        modelId: r.modelId,
        judged: 0,
        judgedPass: 0,
        judgeRate: null,
        corrected: null,
      };
      this.groups.set(key, g);
    }
    if (r.status === 'error') return;
    for (const c of r.checks)
      for (const v of storedJudgeVerdicts(c)) {
        if (v.judge !== this.name || v.judgeVersion !== this.version) continue;
        g.judged++;
        if (v.pass) g.judgedPass++;
      }
  }

  /**
   * Corrected pass rates from the record's confusion counts (stats-judges.md §5.8): refused per group when
   * Youden's J < 0.5 or nothing was judged; unavailable without confusion counts.
   */
  calibrate(record: JudgeValidationRecord, confidence = 0.95): JudgeCalibration {
    if (!validConfusion(record.confusion))
      return {
        available: false,
        reason:
          'its validation record has no pass/fail confusion counts (written by an older assay, or a 1-5 judge without pass/fail): run `assay judge validate` again',
      };
    const c = record.confusion;
    if (c.humanPositives === 0 || c.humanNegatives === 0)
      return {
        available: false,
        reason: `the annotations hold no human ${c.humanPositives === 0 ? 'pass' : 'fail'}, so ${c.humanPositives === 0 ? 'TPR' : 'TNR'} is unknown`,
      };
    const tpr = c.truePositives / c.humanPositives;
    const tnr = c.trueNegatives / c.humanNegatives;
    const groups = [...this.groups.values()].map((g): JudgeGroupRate => {
      const judgeRate = g.judged > 0 ? g.judgedPass / g.judged : null;
      if (g.judged === 0) return { ...g, judgeRate, corrected: null, refused: 'no judged output' };
      const rg = roganGladen({ judgePasses: g.judgedPass, n: g.judged, ...c }, confidence);
      if (!rg.corrected) return { ...g, judgeRate, corrected: null, refused: rg.reason };
      return {
        ...g,
        judgeRate,
        corrected: {
          estimate: rg.estimate,
          lower: rg.lower,
          upper: rg.upper,
          se: rg.se,
          unclipped: rg.unclipped,
          confidence: rg.confidence,
          method: 'rogan-gladen',
        },
      };
    });
    return {
      available: true,
      tpr,
      tnr,
      youden: tpr + tnr - 1,
      annotations: c.humanPositives + c.humanNegatives,
      confusion: { ...c },
      countedPer: 'result',
      groups,
    };
  }
}
