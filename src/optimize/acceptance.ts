import { newcombePairedDifference } from '../core/stats/newcombe.ts';
import { failsMostly, type Outcomes, passedReliably, passesMostly, passRate } from './case-outcome.ts';
import { stratifiedExactP } from './stratified-exact-test.ts';

/**
 * The significance level of the k-th paired test of a run (k = 1, 2, …): α / (k (k + 1)). The levels
 * sum to at most α however many hypotheses are tried, so the chance that a run accepts any edit that
 * has no real effect stays ≤ α (alpha spending; valid under any dependence between the tests).
 */
export function alphaForTest(alpha: number, k: number): number {
  return alpha / (k * (k + 1));
}

export type StepVerdict =
  | 'accepted'
  | 'refuted'
  | 'regressed'
  | 'insignificant'
  | 'invalid'
  | 'refused'
  | 'error'
  | 'stopped';

export interface ProbeDecision {
  pass: boolean;
  /** Predicted cases that now pass in more than half of their samples. */
  fixed: string[];
  why: string;
}

/**
 * Stage 1, the cheap probe on the cluster's cases: the hypothesis survives when at least one case it
 * predicted to fix now mostly passes; otherwise it is refuted (no change is worth a full evaluation).
 */
export function judgeProbe(before: Outcomes, probe: Outcomes, predicted: readonly string[]): ProbeDecision {
  const fixed = predicted.filter((id) => failsMostly(before.get(id)) && passesMostly(probe.get(id)));
  return fixed.length > 0
    ? { pass: true, fixed, why: `${fixed.length} of ${predicted.length} predicted cases fixed on the probe` }
    : { pass: false, fixed, why: `none of the ${predicted.length} predicted cases was fixed on the probe` };
}

export interface DevDecision {
  verdict: 'accepted' | 'regressed' | 'insignificant' | 'refuted';
  why: string;
  mode: 'deterministic' | 'noisy';
  /** Predicted cases fixed (mostly failing before, mostly passing after). */
  fixed: string[];
  /** Cases whose pass rate rose / fell. */
  wins: string[];
  losses: string[];
  /** Cases that passed reliably (or are protected) and now regress. */
  regressions: string[];
  /** One-sided exact p of the stratified test, and the level it was held to. */
  p: number;
  alpha: number;
  /** Pass@1 over the dev cases, before and after. */
  before: number;
  after: number;
  /** Newcombe 95% interval of the difference in the share of cases that mostly pass. */
  difference: { estimate: number; lower: number; upper: number };
  n: number;
}

export interface DevInput {
  before: Outcomes;
  after: Outcomes;
  predicted: readonly string[];
  protectedIds: ReadonlySet<string>;
  /** The level of this test (see `alphaForTest`). */
  alpha: number;
  repeats: number;
}

/**
 * Stage 2, the whole dev split. All must hold: a predicted case is fixed; no case that passed reliably
 * mostly fails now and no protected case passes less often than before; and — unless the target is
 * shown deterministic (≥ 2 repeats, every case's samples unanimous before and after, where a single
 * unanimous flip is real) — the one-sided stratified exact test is significant at `alpha`.
 */
export function judgeDev(o: DevInput): DevDecision {
  const ids = [...o.before.keys()].filter(
    (id) => (o.before.get(id)?.n ?? 0) > 0 && (o.after.get(id)?.n ?? 0) > 0,
  );
  const wins: string[] = [];
  const losses: string[] = [];
  const regressions: string[] = [];
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (const id of ids) {
    const x = o.before.get(id);
    const y = o.after.get(id);
    if (passRate(y) > passRate(x)) wins.push(id);
    if (passRate(y) < passRate(x)) losses.push(id);
    const guard = passedReliably(x) && 2 * (y?.passes ?? 0) < (y?.n ?? 0);
    const prot = o.protectedIds.has(id) && passRate(y) < passRate(x);
    if (guard || prot) regressions.push(id);
    const p = passesMostly(x);
    const q = passesMostly(y);
    if (p && q) a++;
    else if (p) b++;
    else if (q) c++;
    else d++;
  }
  const fixed = o.predicted.filter((id) => failsMostly(o.before.get(id)) && passesMostly(o.after.get(id)));
  const unanimous = (m: Outcomes) =>
    ids.every((id) => {
      const x = m.get(id);
      return !x || x.passes === 0 || x.passes === x.n;
    });
  const mode = o.repeats >= 2 && unanimous(o.before) && unanimous(o.after) ? 'deterministic' : 'noisy';
  const p = stratifiedExactP(
    ids.map((id) => ({
      beforePasses: o.before.get(id)?.passes ?? 0,
      beforeN: o.before.get(id)?.n ?? 0,
      afterPasses: o.after.get(id)?.passes ?? 0,
      afterN: o.after.get(id)?.n ?? 0,
    })),
  );
  const mean = (m: Outcomes) =>
    ids.length ? ids.reduce((s, id) => s + passRate(m.get(id)), 0) / ids.length : 0;
  const diff = newcombePairedDifference(a, b, c, d);
  const base = {
    mode,
    fixed,
    wins,
    losses,
    regressions,
    p,
    alpha: o.alpha,
    before: mean(o.before),
    after: mean(o.after),
    difference: { estimate: diff.estimate, lower: diff.lower, upper: diff.upper },
    n: ids.length,
  } as const;
  if (regressions.length > 0)
    return {
      ...base,
      verdict: 'regressed',
      why: `${regressions.length} case(s) that passed reliably or are protected regressed: ${regressions.join(', ')}`,
    };
  if (fixed.length === 0)
    return { ...base, verdict: 'refuted', why: 'no predicted case was fixed on the whole dev split' };
  if (mode === 'deterministic') {
    if (losses.length > 0)
      return {
        ...base,
        verdict: 'regressed',
        why: `deterministic target: ${losses.length} case(s) got worse: ${losses.join(', ')}`,
      };
    return {
      ...base,
      verdict: 'accepted',
      why: `deterministic target (every sample unanimous): ${fixed.length} fixed, 0 broken; exact p = ${fmtP(p)} reported`,
    };
  }
  if (p <= o.alpha && wins.length > losses.length)
    return {
      ...base,
      verdict: 'accepted',
      why: `${wins.length} better, ${losses.length} worse; one-sided exact p = ${fmtP(p)} ≤ α = ${fmtP(o.alpha)}`,
    };
  return {
    ...base,
    verdict: 'insignificant',
    why: `${wins.length} better, ${losses.length} worse; one-sided exact p = ${fmtP(p)} > α = ${fmtP(o.alpha)} (noise cannot be ruled out)`,
  };
}

export function fmtP(p: number): string {
  return p >= 0.001 ? p.toPrecision(2) : p.toExponential(1);
}
