import { cohenKappa, contingencyTable, kappaBootstrapInterval } from '../core/stats/cohen-kappa.ts';
import { type AlphaLevel, krippendorffAlpha } from '../core/stats/krippendorff-alpha.ts';
import { kendallTauB, spearmanRho } from '../core/stats/rank-correlation.ts';
import { weightedKappa } from '../core/stats/weighted-kappa.ts';
import { type WilsonInterval, wilsonInterval } from '../core/stats/wilson.ts';
import { type LengthBias, lengthBias, lengthBiasWarning } from './length-bias.ts';
import { type ThresholdSweep, thresholdSweep } from './threshold-sweep.ts';

export type ValidationVerdict = boolean | number;

export interface JudgeItemVerdict {
  /** The item judged (e.g. the hash of the exact output); pairs the judge with the annotations. */
  key: string;
  verdict: ValidationVerdict;
  /** Length of the judged output in characters; with it on every validated item the length probe runs. */
  outputLength?: number;
}

export interface HumanAnnotation {
  key: string;
  annotator: string;
  verdict: ValidationVerdict;
}

export interface ValidationThresholds {
  /** Minimum κ (quadratic-weighted κ on ordinal scales); default 0.6. */
  minKappa?: number;
  /** Minimum TPR and TNR (binary, or ordinal with `passScore`); default 0.8 each. */
  minTpr?: number;
  minTnr?: number;
}

export interface ValidateJudgeInput {
  judgeVerdicts: readonly JudgeItemVerdict[];
  annotations: readonly HumanAnnotation[];
  scale: 'binary' | 'ordinal';
  thresholds?: ValidationThresholds;
  /** Ordinal only: scores ≥ passScore count as pass, adding the binary report and the TPR/TNR rule. */
  passScore?: number;
  /** Seed and resamples of the κ bootstrap interval; defaults 0 and 2,000. */
  seed?: number;
  resamples?: number;
  confidence?: number;
}

export interface AgreementInterval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface BinaryAgreement {
  /** Judge × human counts. */
  confusion: {
    judgePassHumanPass: number;
    judgePassHumanFail: number;
    judgeFailHumanPass: number;
    judgeFailHumanFail: number;
  };
  n: number;
  humanPasses: number;
  humanFails: number;
  agreement: WilsonInterval;
  /** Cohen's κ with a seeded percentile bootstrap interval over items. */
  kappa: AgreementInterval & { seed: number; resamples: number };
  /** κ with its asymptotic (Fleiss–Cohen–Everitt) interval. */
  kappaAsymptotic: AgreementInterval & { se: number };
  /** Judge passes what humans pass / fails what humans fail, with Wilson intervals. */
  tpr: WilsonInterval;
  tnr: WilsonInterval;
  /** Of the judge's passes, the share humans passed. */
  precision: WilsonInterval;
  prevalence: { judge: number; human: number };
  /** The judge passes less (harsher) or more (kinder) than the humans, or the same share. */
  direction: 'harsher' | 'kinder' | 'same';
}

export interface OrdinalAgreement {
  n: number;
  /** The score values seen, ascending: the categories of the weighted κ. */
  categories: number[];
  /** confusion[i][j] = items the judge scored categories[i] and the humans categories[j]. */
  confusion: number[][];
  quadraticKappa: AgreementInterval & { seed: number; resamples: number };
  linearKappa: number;
  spearman: number;
  kendall: number;
  exactAgreement: number;
  withinOneAgreement: number;
  /** Mean of judge − human; negative means the judge is harsher. */
  meanSignedDifference: number;
  direction: 'harsher' | 'kinder' | 'same';
}

export interface ValidationReport {
  scale: 'binary' | 'ordinal';
  status: 'validated' | 'weak';
  /** Why the status is what it is, one line per rule checked. */
  reasons: string[];
  warnings: string[];
  /** Keys compared: judged and annotated, with a human reference verdict. */
  n: number;
  annotators: string[];
  /** Judged keys without annotations, annotated keys the judge did not judge, and keys whose annotators tied. */
  unmatched: { judgeOnly: number; annotationsOnly: number; humanTies: number };
  binary?: BinaryAgreement;
  ordinal?: OrdinalAgreement;
  /** Krippendorff's α among the human annotators (the ceiling for the judge) when ≥ 2 annotated a key. */
  humanAlpha?: { alpha: number; level: AlphaLevel; units: number };
  /** Ordinal with `passScore`: each judge cutoff against the human pass/fail reference. */
  thresholdSweep?: ThresholdSweep;
  /** When every validated item has an `outputLength`: the judge's and humans' correlation with length. */
  lengthBias?: LengthBias;
  thresholds: Required<ValidationThresholds>;
}

/** The κ-paradox warning fires when either rater's pass rate is above this or below 1 − this. */
export const PREVALENCE_WARNING = 0.85;

/**
 * Compares a judge's verdicts with human annotations of the same items (stats-judges.md §8.5).
 *
 * Keys are paired by `key`. With one annotator per key their verdict is the reference; with several, the
 * reference is the majority verdict (the value strictly more frequent than every other; keys without one
 * are counted as `humanTies` and left out), and Krippendorff's α among the humans is reported as the
 * ceiling. If an annotator labelled a key twice, the last annotation counts.
 *
 * Status: `validated` when κ (quadratic-weighted κ on ordinal scales) ≥ minKappa and, where pass/fail is
 * defined, TPR ≥ minTpr and TNR ≥ minTnr; otherwise `weak`. Pure: no I/O, no clock; the bootstrap is seeded.
 */
export function validateJudge(input: ValidateJudgeInput): ValidationReport {
  const thresholds = { minKappa: 0.6, minTpr: 0.8, minTnr: 0.8, ...input.thresholds };
  const seed = input.seed ?? 0;
  const resamples = input.resamples ?? 2000;
  const confidence = input.confidence ?? 0.95;
  const { scale } = input;
  const check = (where: string, v: ValidationVerdict): number => {
    if (scale === 'binary') {
      if (typeof v !== 'boolean')
        throw new TypeError(`${where}: a binary verdict must be true or false, got ${JSON.stringify(v)}`);
      return v ? 1 : 0;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`${where}: an ordinal verdict must be a finite number, got ${JSON.stringify(v)}`);
    }
    return v;
  };

  const judge = new Map<string, number>();
  const outputLength = new Map<string, number>();
  for (const j of input.judgeVerdicts) {
    if (judge.has(j.key)) throw new RangeError(`judge verdict for key ${j.key} appears twice`);
    judge.set(j.key, check(`judge verdict for key ${j.key}`, j.verdict));
    if (j.outputLength !== undefined) {
      if (!Number.isInteger(j.outputLength) || j.outputLength < 0)
        throw new RangeError(
          `output length for key ${j.key} must be a non-negative integer, got ${j.outputLength}`,
        );
      outputLength.set(j.key, j.outputLength);
    }
  }
  const byKey = new Map<string, Map<string, number>>();
  for (const a of input.annotations) {
    const v = check(`annotation by ${a.annotator} for key ${a.key}`, a.verdict);
    const perKey = byKey.get(a.key) ?? new Map<string, number>();
    perKey.set(a.annotator, v);
    byKey.set(a.key, perKey);
  }
  const annotators = [...new Set(input.annotations.map((a) => a.annotator))].sort();

  const judged: number[] = [];
  const human: number[] = [];
  const lengths: (number | undefined)[] = [];
  let humanTies = 0;
  for (const [key, perKey] of byKey) {
    const j = judge.get(key);
    if (j === undefined) continue;
    const reference = majority([...perKey.values()]);
    if (reference === undefined) {
      humanTies++;
      continue;
    }
    judged.push(j);
    human.push(reference);
    lengths.push(outputLength.get(key));
  }
  const unmatched = {
    judgeOnly: [...judge.keys()].filter((k) => !byKey.has(k)).length,
    annotationsOnly: [...byKey.keys()].filter((k) => !judge.has(k)).length,
    humanTies,
  };

  const reasons: string[] = [];
  const warnings: string[] = [];
  let ok = judged.length > 0;
  if (!ok) reasons.push('no judged item has a human reference verdict');
  if (unmatched.judgeOnly + unmatched.annotationsOnly > 0) {
    warnings.push(
      `${unmatched.judgeOnly} judged item(s) have no annotation and ${unmatched.annotationsOnly} annotated item(s) were not judged; they are left out`,
    );
  }
  if (humanTies > 0)
    warnings.push(`${humanTies} item(s) where the annotators tied have no majority and are left out`);

  const report: ValidationReport = {
    scale,
    status: 'weak',
    reasons,
    warnings,
    n: judged.length,
    annotators,
    unmatched,
    thresholds,
  };
  const bootstrap = { seed, resamples, confidence };

  const passFail = (threshold: number | undefined): BinaryAgreement => {
    const toPass = (x: number): boolean => (threshold === undefined ? x === 1 : x >= threshold);
    const binary = binaryAgreement(judged.map(toPass), human.map(toPass), bootstrap);
    report.binary = binary;
    const { judge: pj, human: ph } = binary.prevalence;
    const low = 1 - PREVALENCE_WARNING;
    if (ph > PREVALENCE_WARNING || ph < low || pj > PREVALENCE_WARNING || pj < low) {
      warnings.push(
        `κ paradox: pass prevalence is ${pct(pj)} (judge) and ${pct(ph)} (humans); with one class this dominant κ is unstable — read TPR and TNR`,
      );
    }
    return binary;
  };
  const tprTnrRules = (binary: BinaryAgreement): void => {
    if (binary.humanPasses === 0 || binary.humanFails === 0) {
      ok = false;
      reasons.push('the annotations need at least one human pass and one human fail to measure TPR and TNR');
    }
    ok = rule(reasons, 'TPR', binary.tpr.estimate, thresholds.minTpr) && ok;
    ok = rule(reasons, 'TNR', binary.tnr.estimate, thresholds.minTnr) && ok;
  };

  if (judged.length > 0) {
    if (scale === 'binary') {
      const binary = passFail(undefined);
      ok = rule(reasons, 'Cohen’s κ', binary.kappa.estimate, thresholds.minKappa) && ok;
      tprTnrRules(binary);
    } else {
      report.ordinal = ordinalAgreement(judged, human, bootstrap);
      ok =
        rule(reasons, 'quadratic-weighted κ', report.ordinal.quadraticKappa.estimate, thresholds.minKappa) &&
        ok;
      if (input.passScore !== undefined) {
        tprTnrRules(passFail(input.passScore));
        report.thresholdSweep = thresholdSweep(judged, human, { passThreshold: input.passScore, confidence });
        const betterCutoff = cutoffAdvice(report.thresholdSweep);
        if (betterCutoff) warnings.push(betterCutoff);
      }
    }
    if (lengths.every((l) => l !== undefined)) {
      report.lengthBias = lengthBias(judged, human, lengths as number[]);
      const warning = lengthBiasWarning(report.lengthBias);
      if (warning) warnings.push(warning);
    }
  }

  const multiUnits = [...byKey.values()]
    .filter((m) => m.size >= 2)
    .map((m) => annotators.map((a) => m.get(a)));
  if (multiUnits.length > 0) {
    const level: AlphaLevel = scale === 'binary' ? 'nominal' : 'ordinal';
    const a = krippendorffAlpha(multiUnits, level);
    report.humanAlpha = { alpha: a.alpha, level, units: a.units };
  }
  report.status = ok ? 'validated' : 'weak';
  return report;
}

/** Says when a judge cutoff other than the configured one separates the human classes better. */
function cutoffAdvice(sweep: ThresholdSweep): string | undefined {
  const best = sweep.rows.find((r) => r.best);
  const configured = sweep.rows.find((r) => r.configured);
  if (!best || !configured || best === configured) return undefined;
  const j = (x: number): string => (Number.isNaN(x) ? '—' : x.toFixed(2));
  return `threshold: passing judge scores ≥ ${best.cutoff} matches the human pass/fail (human score ≥ ${sweep.passThreshold}) better than the configured passThreshold ${configured.cutoff} (Youden J ${j(best.youdenJ)} vs ${j(configured.youdenJ)}); the pick is fitted to these annotations — confirm it on others before changing the judge`;
}

function rule(reasons: string[], name: string, value: number, min: number): boolean {
  const pass = value >= min;
  reasons.push(
    `${name} ${Number.isNaN(value) ? 'undefined' : value.toFixed(3)} ${pass ? '≥' : 'below'} ${min}`,
  );
  return pass;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

/** The value strictly more frequent than every other, or undefined on a tie. */
function majority(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: number | undefined;
  let bestCount = 0;
  let tied = false;
  for (const [v, c] of counts) {
    if (c > bestCount) {
      best = v;
      bestCount = c;
      tied = false;
    } else if (c === bestCount) tied = true;
  }
  return tied ? undefined : best;
}

function direction(judgeMinusHuman: number): 'harsher' | 'kinder' | 'same' {
  return judgeMinusHuman < 0 ? 'harsher' : judgeMinusHuman > 0 ? 'kinder' : 'same';
}

interface BootstrapSettings {
  seed: number;
  resamples: number;
  confidence: number;
}

function binaryAgreement(
  judge: readonly boolean[],
  human: readonly boolean[],
  b: BootstrapSettings,
): BinaryAgreement {
  const table = contingencyTable(judge, human, [true, false]);
  const [[tp, fp], [fn, tn]] = table as [[number, number], [number, number]];
  const n = judge.length;
  const asymptotic = cohenKappa(table, b.confidence);
  const pairs = judge.map((j, i): [number, number] => [j ? 0 : 1, human[i] ? 0 : 1]);
  const boot = kappaBootstrapInterval(pairs, 2, b);
  const judgeRate = (tp + fp) / n;
  const humanRate = (tp + fn) / n;
  return {
    confusion: {
      judgePassHumanPass: tp,
      judgePassHumanFail: fp,
      judgeFailHumanPass: fn,
      judgeFailHumanFail: tn,
    },
    n,
    humanPasses: tp + fn,
    humanFails: fp + tn,
    agreement: wilsonInterval(tp + tn, n, b.confidence),
    kappa: {
      estimate: asymptotic.kappa,
      lower: boot.lower,
      upper: boot.upper,
      seed: b.seed,
      resamples: boot.resamples,
    },
    kappaAsymptotic: {
      estimate: asymptotic.kappa,
      lower: asymptotic.lower,
      upper: asymptotic.upper,
      se: asymptotic.se,
    },
    tpr: wilsonInterval(tp, tp + fn, b.confidence),
    tnr: wilsonInterval(tn, tn + fp, b.confidence),
    precision: wilsonInterval(tp, tp + fp, b.confidence),
    prevalence: { judge: judgeRate, human: humanRate },
    direction: direction(tp + fp - (tp + fn)),
  };
}

function ordinalAgreement(
  judge: readonly number[],
  human: readonly number[],
  b: BootstrapSettings,
): OrdinalAgreement {
  const categories = [...new Set([...judge, ...human])].sort((x, y) => x - y);
  const confusion = contingencyTable(judge, human, categories);
  const quadratic = weightedKappa(confusion, 'quadratic', categories, b.confidence);
  const k = categories.length;
  const range = (categories[k - 1] as number) - (categories[0] as number);
  const weights = categories.map((x) => categories.map((y) => (range === 0 ? 0 : ((x - y) / range) ** 2)));
  const index = new Map(categories.map((c, i) => [c, i]));
  const pairs = judge.map((j, i): [number, number] => [
    index.get(j) as number,
    index.get(human[i] as number) as number,
  ]);
  const boot = kappaBootstrapInterval(pairs, k, { ...b, weights });
  const n = judge.length;
  let exact = 0;
  let withinOne = 0;
  let diff = 0;
  judge.forEach((j, i) => {
    const d = j - (human[i] as number);
    if (d === 0) exact++;
    if (Math.abs(d) <= 1) withinOne++;
    diff += d;
  });
  return {
    n,
    categories,
    confusion,
    quadraticKappa: {
      estimate: quadratic.kappa,
      lower: boot.lower,
      upper: boot.upper,
      seed: b.seed,
      resamples: boot.resamples,
    },
    linearKappa: weightedKappa(confusion, 'linear', categories, b.confidence).kappa,
    spearman: spearmanRho(judge, human),
    kendall: kendallTauB(judge, human),
    exactAgreement: exact / n,
    withinOneAgreement: withinOne / n,
    meanSignedDifference: diff / n,
    direction: direction(diff),
  };
}
