import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { annotationKey } from '../../annotations/annotation-key.ts';
import { latestAnnotations } from '../../annotations/latest-annotations.ts';
import { readAnnotations } from '../../annotations/read-annotations.ts';
import { locateStore } from '../../app/locate-store.ts';
import { AssayError } from '../../core/errors.ts';
import { parseJudgeFile } from '../../judges/judge-file.ts';
import { annotationFileHash, writeValidationRecord } from '../../judges/judge-status.ts';
import { sameModelFamily } from '../../judges/model-family.ts';
import {
  type HumanAnnotation,
  type JudgeItemVerdict,
  type ValidationReport,
  validateJudge,
} from '../../judges/validate-judge.ts';
import { projectPath } from '../../project/project-path.ts';
import { openStore } from '../../store/open-store.ts';

export interface JudgeValidateFlags {
  cwd: string;
  config?: string;
  store?: string;
  run?: string;
  annotations: string;
  seed?: string;
  json?: boolean;
}

/**
 * `assay judge validate JUDGE --annotations FILE [--run RUN]`: the verdicts JUDGE gave in a run (its
 * `judge` check results), paired with human annotations of the same outputs by annotation key, through
 * validateJudge. The result is recorded beside the judge in `<judge file>.validation.json` (judgeStatus
 * reads it). Exit 0 with the report (status `validated` or `weak`); exit 2 when the run holds no
 * verdicts of this judge or nothing could be paired.
 */
export async function judgeValidateCommand(judgeFile: string, flags: JudgeValidateFlags): Promise<number> {
  const path = resolve(flags.cwd, judgeFile);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AssayError(`cannot read judge file ${judgeFile}`, 2);
  }
  const judge = parseJudgeFile(text, relative(flags.cwd, path) || judgeFile);
  if (judge.kind === 'pairwise') {
    throw new AssayError(
      `judge '${judge.name}' is pairwise; validate compares one verdict per output with annotations`,
      2,
    );
  }
  const ordinal = judge.scale === '1-5';
  const seed = flags.seed === undefined ? 0 : Number(flags.seed);
  if (!Number.isInteger(seed)) throw new AssayError(`--seed must be an integer, got ${flags.seed}`, 2);

  const store = await openStore({ path: await locateStore(flags) });
  const judgeVerdicts: JudgeItemVerdict[] = [];
  const seen = new Set<string>();
  let otherVersions = 0;
  // Which model graded which target models' outputs, for the self-preference (same-family) warning.
  const judgeModels = new Set<string>();
  const targetModels = new Set<string>();
  let runId: string;
  try {
    const run = await store.findRun(flags.run ?? 'latest');
    if (!run) throw new AssayError(`no run '${flags.run ?? 'latest'}'; see \`assay runs list\``, 2);
    runId = run.id;
    for await (const r of store.iterateResults(run.id)) {
      if (r.output === undefined) continue;
      const check = r.checks.find((c) => c.type === 'judge' && c.details?.judge === judge.name && !c.error);
      if (!check) continue;
      const verdict = ordinal ? check.details?.rawScore : check.pass;
      if (ordinal ? typeof verdict !== 'number' : typeof verdict !== 'boolean') continue;
      if (check.details?.judgeVersion !== judge.version) otherVersions++;
      const gradedBy = check.details?.judgeModel;
      judgeModels.add(typeof gradedBy === 'string' ? gradedBy : judge.model);
      targetModels.add(r.modelId);
      const key = annotationKey(r.output, r.caseId, r.promptVersion);
      if (seen.has(key)) continue; // repeats with the same output share one annotation key
      seen.add(key);
      // Length in characters (code points), for the length-bias probe.
      judgeVerdicts.push({ key, verdict: verdict as boolean | number, outputLength: [...r.output].length });
    }
  } finally {
    await store.close();
  }
  if (judgeVerdicts.length === 0) {
    throw new AssayError(
      `run ${runId} has no verdicts of judge '${judge.name}'; run \`assay eval\` with a 'judge' check using ${judgeFile}`,
      2,
    );
  }

  const file = resolve(flags.cwd, flags.annotations);
  const annotations: HumanAnnotation[] = [];
  for (const a of latestAnnotations(readAnnotations(file, flags.annotations))) {
    if (ordinal && a.score !== undefined)
      annotations.push({ key: a.key, annotator: a.annotator, verdict: a.score });
    if (!ordinal && a.verdict !== undefined) {
      annotations.push({ key: a.key, annotator: a.annotator, verdict: a.verdict === 'pass' });
    }
  }
  const report = validateJudge({
    judgeVerdicts,
    annotations,
    scale: ordinal ? 'ordinal' : 'binary',
    ...(ordinal ? { passScore: judge.passThreshold ?? 4 } : {}),
    seed,
  });
  if (report.n === 0) {
    throw new AssayError(
      `none of the ${judgeVerdicts.length} outputs judged in run ${runId} has a ${ordinal ? 'score' : 'pass/fail'} annotation in ${flags.annotations}; annotate them with \`assay annotate ${runId}\``,
      2,
    );
  }
  if (otherVersions > 0) {
    report.warnings.push(
      `${otherVersions} verdict(s) came from another version of ${judgeFile} than the current one (${judge.version.slice(0, 12)})`,
    );
  }
  const sameFamily: { judgeModel: string; targetModel: string }[] = [];
  for (const judgeModel of [...judgeModels].sort()) {
    const targets = [...targetModels].sort().filter((t) => sameModelFamily(judgeModel, t));
    for (const targetModel of targets) sameFamily.push({ judgeModel, targetModel });
    if (targets.length > 0) {
      report.warnings.push(
        `self-preference bias: judge ${judgeModel} grades outputs of ${targets.join(', ')} (same model family; judges tend to favour their own family — prefer a judge from another family)`,
      );
    }
  }
  const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);
  const statusFile = await writeValidationRecord(path, {
    judge: judge.name,
    judgeVersion: judge.version,
    judgeModel: judge.model,
    annotations: [{ file: projectPath(flags.cwd, file), sha256: await annotationFileHash(file) }],
    status: report.status,
    kappa: finite(report.ordinal ? report.ordinal.quadraticKappa.estimate : report.binary?.kappa.estimate),
    tpr: finite(report.binary?.tpr.estimate),
    tnr: finite(report.binary?.tnr.estimate),
    n: report.n,
    ...(report.binary
      ? {
          confusion: {
            truePositives: report.binary.confusion.judgePassHumanPass,
            humanPositives: report.binary.humanPasses,
            trueNegatives: report.binary.confusion.judgeFailHumanFail,
            humanNegatives: report.binary.humanFails,
          },
        }
      : {}),
    validatedAt: new Date().toISOString(),
  });
  const out = {
    judge: judge.name,
    judgeVersion: judge.version,
    judgeModel: judge.model,
    run: runId,
    statusFile: projectPath(flags.cwd, statusFile),
    ...report,
    selfPreference: {
      judgeModels: [...judgeModels].sort(),
      targetModels: [...targetModels].sort(),
      sameFamily,
    },
  };
  process.stdout.write(flags.json ? `${JSON.stringify(out, null, 2)}\n` : renderReport(out));
  return 0;
}

const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`);
const num = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(2));

function renderReport(
  r: ValidationReport & { judge: string; judgeModel: string; run: string; statusFile: string },
): string {
  const lines: string[] = [];
  const b = r.binary;
  const o = r.ordinal;
  const classes = b ? ` (${b.humanPasses} pass / ${b.humanFails} fail)` : '';
  lines.push(
    `judge ${r.judge} (model ${r.judgeModel}) vs human annotations · run ${r.run} · ${r.n} outputs${classes}`,
  );
  if (o) {
    lines.push(
      `  quadratic-weighted κ ${num(o.quadraticKappa.estimate)} [${num(o.quadraticKappa.lower)}, ${num(o.quadraticKappa.upper)}]   linear κ ${num(o.linearKappa)}`,
      `  Spearman ρ ${num(o.spearman)}   Kendall τ-b ${num(o.kendall)}`,
      `  exact agreement ${pct(o.exactAgreement)}   within ±1 ${pct(o.withinOneAgreement)}   mean judge − human ${o.meanSignedDifference.toFixed(2)} (${o.direction})`,
    );
  }
  if (b) {
    const c = b.confusion;
    const w = (x: number): string => String(x).padStart(10);
    lines.push(
      '             human pass  human fail',
      `  judge pass ${w(c.judgePassHumanPass)}  ${w(c.judgePassHumanFail)}`,
      `  judge fail ${w(c.judgeFailHumanPass)}  ${w(c.judgeFailHumanFail)}`,
      `  agreement ${pct(b.agreement.estimate)}   Cohen's κ ${num(b.kappa.estimate)} [${num(b.kappa.lower)}, ${num(b.kappa.upper)}] (bootstrap, seed ${b.kappa.seed})`,
      `  TPR ${pct(b.tpr.estimate)} [${pct(b.tpr.lower)}, ${pct(b.tpr.upper)}]   TNR ${pct(b.tnr.estimate)} [${pct(b.tnr.lower)}, ${pct(b.tnr.upper)}]   precision ${pct(b.precision.estimate)}`,
      `  judge is ${b.direction === 'same' ? 'as strict as' : `${b.direction} than`} humans (${pct(b.prevalence.judge)} vs ${pct(b.prevalence.human)} pass)`,
    );
  }
  const s = r.thresholdSweep;
  if (s) {
    const ci = (w: { estimate: number; lower: number; upper: number }): string =>
      `${pct(w.estimate)} [${pct(w.lower)}, ${pct(w.upper)}]`.padEnd(24);
    lines.push(
      `  cutoff sweep (human pass: human score ≥ ${s.passThreshold}; * highest Youden J)`,
      `    ${'judge ≥'.padEnd(9)}${'TPR'.padEnd(24)}${'TNR'.padEnd(24)}${'κ'.padEnd(7)}${'agreement'.padEnd(11)}J`,
    );
    for (const row of s.rows) {
      const mark = `${row.best ? ' *' : ''}${row.configured ? ' (configured)' : ''}`;
      lines.push(
        `    ${String(row.cutoff).padEnd(9)}${ci(row.tpr)}${ci(row.tnr)}${num(row.kappa).padEnd(7)}${pct(row.agreement).padEnd(11)}${num(row.youdenJ)}${mark}`,
      );
    }
  }
  const l = r.lengthBias;
  if (l) {
    lines.push(
      `  length: Spearman ρ with output length ${num(l.judge)} (judge) vs ${num(l.human)} (humans); judge − human ${num(l.residual)} · n ${l.n}`,
    );
  }
  if (r.humanAlpha) {
    lines.push(
      `  Krippendorff's α among ${r.annotators.length} annotators ${num(r.humanAlpha.alpha)} (${r.humanAlpha.level}; the ceiling)`,
    );
  }
  for (const warning of r.warnings) lines.push(`  warning: ${warning}`);
  lines.push(`  status: ${r.status} · ${r.reasons.join('; ')}`);
  lines.push(`  recorded in ${r.statusFile} (commit it: \`assay gate\` reads it)`);
  return `${lines.join('\n')}\n`;
}
