import { alphaForTest, type DevDecision, judgeDev, judgeProbe, type ProbeDecision } from './acceptance.ts';
import type { Outcomes } from './case-outcome.ts';

export interface CandidateInput {
  /** The incumbent's dev outcomes (what the candidate is paired with). */
  incumbent: Outcomes;
  predicted: readonly string[];
  protectedIds: ReadonlySet<string>;
  /** Family-wise α of the run, and how many paired tests the run has made before this one. */
  alpha: number;
  testsSoFar: number;
  repeats: number;
  /**
   * Measures the candidate on these dev cases (all when undefined); undefined when the measurement was
   * cut short (budget, interrupt). Repeated samples come from the cache, so the probe is part of the
   * full evaluation.
   */
  measure: (caseIds?: readonly string[]) => Promise<Outcomes | undefined>;
}

export type CandidateOutcome =
  | {
      stage: 'probe';
      verdict: 'refuted';
      why: string;
      probe: ProbeDecision & { outcomes: Outcomes };
      tests: number;
    }
  | { stage: 'stopped'; why: string; probe?: ProbeDecision & { outcomes: Outcomes }; tests: number }
  | {
      stage: 'dev';
      verdict: DevDecision['verdict'];
      why: string;
      probe: ProbeDecision & { outcomes: Outcomes };
      decision: DevDecision;
      after: Outcomes;
      /** Paired tests made so far, this one included. */
      tests: number;
    };

/**
 * Stages 1 and 2 of one hypothesis, the single code path of every acceptance (the optimizer's loop and
 * the null-scenario simulation both call it): the probe on the predicted cases, then — only if a
 * predicted case is fixed — the whole dev split, judged at this test's share of α.
 */
export async function evaluateCandidate(o: CandidateInput): Promise<CandidateOutcome> {
  const probeOutcomes = await o.measure(o.predicted);
  if (!probeOutcomes) return { stage: 'stopped', why: 'the probe was cut short', tests: o.testsSoFar };
  const probe = { ...judgeProbe(o.incumbent, probeOutcomes, o.predicted), outcomes: probeOutcomes };
  if (!probe.pass) return { stage: 'probe', verdict: 'refuted', why: probe.why, probe, tests: o.testsSoFar };
  const after = await o.measure(undefined);
  if (!after)
    return { stage: 'stopped', why: 'the dev evaluation was cut short', probe, tests: o.testsSoFar };
  const tests = o.testsSoFar + 1;
  const decision = judgeDev({
    before: o.incumbent,
    after,
    predicted: o.predicted,
    protectedIds: o.protectedIds,
    alpha: alphaForTest(o.alpha, tests),
    repeats: o.repeats,
  });
  return { stage: 'dev', verdict: decision.verdict, why: decision.why, probe, decision, after, tests };
}
