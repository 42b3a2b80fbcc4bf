import type { Comparison } from '../core/compare/comparison.ts';
import type { ResultRecord, RunRecord } from '../core/types.ts';
import type { EvalReport } from '../reporters/eval-report.ts';
import type { Store } from '../store/store.ts';
import { flakinessHistogram } from '../views/flakiness-histogram.ts';
import { SeededSample } from '../views/seeded-sample.ts';
import { summarizeTrajectory } from '../views/trajectory-summary.ts';
import { wordDiff } from '../views/word-diff.ts';
import type { EmbeddedCase, FlipCase, ReportData } from './report-data.ts';

/** How many results of each status a report embeds (the rest is in the JSONL beside it). */
export interface CaseCaps {
  failed: number;
  errors: number;
  passed: number;
  flips: number;
}

export const defaultCaseCaps: CaseCaps = { failed: 150, errors: 50, passed: 100, flips: 1000 };

/** Characters of an output kept in the report: a case row, and each side of a flip. */
export const OUTPUT_EXCERPT = 2000;
export const FLIP_EXCERPT = 1000;

export interface CollectorOptions {
  run: RunRecord;
  assayVersion: string;
  caps?: Partial<CaseCaps>;
  /** With --compare: the baseline run and the comparisons of this run (the candidate) against it. */
  compare?: { baselineRun: RunRecord; pass: Comparison[]; score: Comparison[]; warnings: string[] };
  now?: () => Date;
}

/**
 * Takes the run's results one at a time (and the baseline's with --compare) and keeps only what the report
 * shows: a seeded sample of failed, errored and passed results (bounded excerpts), per-case repeat counts
 * for the flakiness histogram, and both outputs of the flipped cases. Memory is bounded by the caps (plus
 * two numbers per case with repeats), not by the outputs. Push-based so the caller can read the store once
 * for the eval report, this and the JSONL file together.
 */
export class ReportCollector {
  private readonly opts: CollectorOptions;
  private readonly caps: CaseCaps;
  private readonly failed: SeededSample<EmbeddedCase>;
  private readonly errors: SeededSample<EmbeddedCase>;
  private readonly passed: SeededSample<EmbeddedCase>;
  private readonly repeats: boolean;
  private readonly perCase = new Map<string, Map<string, { passes: number; k: number }>>();
  private readonly flips: { flip: FlipCase; comparison: Comparison }[];
  private readonly candidateWanted = new Map<string, FlipCase>();
  private readonly baselineWanted = new Map<string, FlipCase>();
  private readonly candidateRepeat = new Map<FlipCase, number>();
  private readonly baselineRepeat = new Map<FlipCase, number>();

  constructor(opts: CollectorOptions) {
    this.opts = opts;
    this.caps = { ...defaultCaseCaps, ...opts.caps };
    const seed = opts.run.manifest.seed;
    this.failed = new SeededSample(this.caps.failed, seed);
    this.errors = new SeededSample(this.caps.errors, seed);
    this.passed = new SeededSample(this.caps.passed, seed);
    this.repeats = opts.run.manifest.repeats > 1;
    this.flips = planFlips(opts.compare?.pass ?? [], this.caps.flips);
    for (const { flip, comparison } of this.flips) {
      this.candidateWanted.set(flipKey(comparison.candidate, flip.caseId), flip);
      this.baselineWanted.set(flipKey(comparison.baseline, flip.caseId), flip);
    }
  }

  /** Whether `addBaseline` needs the baseline's results (some flipped case to show). */
  get wantsBaseline(): boolean {
    return this.baselineWanted.size > 0;
  }

  add(r: ResultRecord): void {
    const key = `${r.promptVersion}\u0000${r.modelId}\u0000${r.caseId}\u0000${r.repeat}`;
    const sample = r.status === 'pass' ? this.passed : r.status === 'fail' ? this.failed : this.errors;
    sample.add(key, () => embed(r));
    if (this.repeats && r.status !== 'error') {
      const group = `${r.promptVersion}\u0000${r.modelId}`;
      let cases = this.perCase.get(group);
      if (!cases) {
        cases = new Map();
        this.perCase.set(group, cases);
      }
      const c = cases.get(r.caseId) ?? { passes: 0, k: 0 };
      cases.set(r.caseId, c);
      c.k++;
      if (r.status === 'pass') c.passes++;
    }
    if (this.candidateWanted.size) takeFlipSide(this.candidateWanted, this.candidateRepeat, r, 'candidate');
  }

  addBaseline(r: ResultRecord): void {
    if (this.baselineWanted.size) takeFlipSide(this.baselineWanted, this.baselineRepeat, r, 'baseline');
  }

  /** The report data, given the run's eval report (built from the same results). */
  finish(report: EvalReport, score?: Comparison[]): ReportData {
    const { run, compare } = this.opts;
    for (const { flip } of this.flips)
      flip.diff =
        flip.baseline && flip.candidate ? wordDiff(flip.baseline.output, flip.candidate.output) : [];
    const flakiness = report.summary.groups
      .filter((g) => g.repeats !== null)
      .map((g) => ({
        group: `${g.prompt}@${g.promptVersion.slice(0, 8)} × ${g.modelId}`,
        repeats: g.repeats?.k ?? 0,
        bins: flakinessHistogram(this.perCase.get(`${g.promptVersion}\u0000${g.modelId}`)?.values() ?? []),
      }));
    const order = (a: EmbeddedCase, b: EmbeddedCase) =>
      a.prompt.localeCompare(b.prompt) ||
      a.modelId.localeCompare(b.modelId) ||
      a.caseId.localeCompare(b.caseId) ||
      a.repeat - b.repeat;
    const e = this.errors.values().sort(order);
    const f = this.failed.values().sort(order);
    const p = this.passed.values().sort(order);
    const flipsTotal = (compare?.pass ?? []).reduce((n, c) => n + c.flips.length, 0);
    return {
      schemaVersion: 1,
      generatedAt: (this.opts.now ?? (() => new Date()))().toISOString(),
      assayVersion: this.opts.assayVersion,
      report,
      manifest: run.manifest,
      cases: {
        embedded: [...e, ...f, ...p],
        total: this.passed.seen + this.failed.seen + this.errors.seen,
        passed: this.passed.seen,
        failed: this.failed.seen,
        errors: this.errors.seen,
        embeddedFailed: f.length,
        embeddedErrors: e.length,
        embeddedPassed: p.length,
        sampleSeed: run.manifest.seed,
      },
      flakiness,
      ...(compare
        ? {
            comparison: {
              baselineRun: {
                id: compare.baselineRun.id,
                createdAt: compare.baselineRun.createdAt,
                suite: compare.baselineRun.manifest.suite,
                prompts: compare.baselineRun.manifest.prompts,
              },
              pass: compare.pass,
              score: score ?? compare.score,
              flips: this.flips.map((x) => x.flip),
              flipsTotal,
              warnings: compare.warnings,
            },
          }
        : {}),
    };
  }
}

/** Reads the run (and the baseline) from the store and collects the report data (see ReportCollector). */
export async function collectReportData(
  inp: CollectorOptions & { store: Store; report: EvalReport },
): Promise<ReportData> {
  const c = new ReportCollector(inp);
  for await (const r of inp.store.iterateResults(inp.run.id)) c.add(r);
  if (inp.compare && c.wantsBaseline)
    for await (const r of inp.store.iterateResults(inp.compare.baselineRun.id)) c.addBaseline(r);
  return c.finish(inp.report);
}

function embed(r: ResultRecord): EmbeddedCase {
  const output = r.output ?? '';
  return {
    runId: r.runId,
    caseId: r.caseId,
    prompt: r.prompt,
    promptVersion: r.promptVersion,
    modelId: r.modelId,
    repeat: r.repeat,
    status: r.status,
    ...(r.category !== undefined ? { category: r.category } : {}),
    output: output.slice(0, OUTPUT_EXCERPT),
    outputChars: output.length,
    failedChecks: r.checks
      .filter((c) => !c.pass || c.error !== undefined)
      .slice(0, 10)
      .map((c) => ({
        name: c.name ?? c.type,
        reason: c.reason.slice(0, 300),
        ...(c.error !== undefined ? { error: c.error.slice(0, 300) } : {}),
      })),
    ...(r.error ? { error: `${r.error.kind}: ${r.error.message.slice(0, 300)}` } : {}),
    ...(r.latencyMs !== undefined ? { latencyMs: r.latencyMs } : {}),
    cost: r.cost,
    ...(r.trajectory ? { trajectory: summarizeTrajectory(r.trajectory) } : {}),
  };
}

/** Regressions of every pair first (protected first, as the comparison orders them), then improvements; capped. */
function planFlips(comparisons: Comparison[], cap: number): { flip: FlipCase; comparison: Comparison }[] {
  const out: { flip: FlipCase; comparison: Comparison }[] = [];
  for (const kind of ['regression', 'improvement'] as const)
    for (const c of comparisons)
      for (const f of c.flips) {
        if (f.kind !== kind) continue;
        if (out.length >= cap) return out;
        out.push({
          comparison: c,
          flip: {
            kind: kind === 'regression' ? 'regressed' : 'improved',
            caseId: f.caseId,
            protected: f.protected,
            from: f.from,
            to: f.to,
            group: `${c.candidate.prompt}@${c.candidate.promptVersion.slice(0, 8)} × ${c.candidate.modelId}`,
            diff: [],
          },
        });
      }
  return out;
}

function flipKey(side: { promptVersion: string; modelId: string }, caseId: string): string {
  return `${side.promptVersion}\u0000${side.modelId}\u0000${caseId}`;
}

/** Keeps the output of the lowest repeat of a flipped case on one side. */
function takeFlipSide(
  wanted: Map<string, FlipCase>,
  seen: Map<FlipCase, number>,
  r: ResultRecord,
  side: 'baseline' | 'candidate',
): void {
  const flip = wanted.get(flipKey(r, r.caseId));
  if (!flip) return;
  const prev = seen.get(flip);
  if (prev !== undefined && prev <= r.repeat) return;
  seen.set(flip, r.repeat);
  const output = r.output ?? (r.error ? `[error] ${r.error.kind}: ${r.error.message}` : '');
  flip[side] = { status: r.status, output: output.slice(0, FLIP_EXCERPT), outputChars: output.length };
}
