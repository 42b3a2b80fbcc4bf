import type { ResultRecord } from '../core/types.ts';

/** A case's samples under one prompt: passes of the answered samples, errors apart (never a fail). */
export interface CaseOutcome {
  caseId: string;
  passes: number;
  /** Answered samples (pass or fail). */
  n: number;
  errors: number;
  /** Outputs of the failing samples (evidence for a diagnosis). */
  failedOutputs: string[];
  /** Failure signature of each failing sample (see `failureSignature`). */
  signatures: string[];
  /** The failing checks' reasons of the first failing sample. */
  reasons: string[];
}

export type Outcomes = Map<string, CaseOutcome>;

/** Folds a run's results into one outcome per case. */
export function caseOutcomes(results: Iterable<ResultRecord>): Outcomes {
  const out: Outcomes = new Map();
  for (const r of results) {
    let o = out.get(r.caseId);
    if (!o) {
      o = { caseId: r.caseId, passes: 0, n: 0, errors: 0, failedOutputs: [], signatures: [], reasons: [] };
      out.set(r.caseId, o);
    }
    if (r.status === 'error') {
      o.errors++;
      continue;
    }
    o.n++;
    if (r.status === 'pass') {
      o.passes++;
      continue;
    }
    o.failedOutputs.push(r.output ?? '');
    o.signatures.push(failureSignature(r));
    if (o.reasons.length === 0)
      o.reasons = r.checks.filter((c) => !c.pass).map((c) => `${c.name ?? c.type}: ${c.reason}`);
  }
  return out;
}

/** A case passes reliably when every answered sample passed. */
export const passedReliably = (o: CaseOutcome | undefined): boolean => !!o && o.n > 0 && o.passes === o.n;
/** A case fails (is a target) when fewer than half of its samples pass. */
export const failsMostly = (o: CaseOutcome | undefined): boolean => !!o && o.n > 0 && 2 * o.passes < o.n;
/** A case is fixed when more than half of its samples pass. */
export const passesMostly = (o: CaseOutcome | undefined): boolean => !!o && o.n > 0 && 2 * o.passes > o.n;
export const passRate = (o: CaseOutcome | undefined): number => (o && o.n > 0 ? o.passes / o.n : 0);

/**
 * What failed, without the case's particulars: each failing check's type and its reason with numbers
 * masked, sorted. Cases that fail the same way share a signature (one cluster, one hypothesis).
 */
export function failureSignature(r: ResultRecord): string {
  const failed = r.checks.filter((c) => !c.pass);
  if (failed.length === 0) return 'failed without a failing check';
  return failed
    .map(
      (c) =>
        `${c.name ?? c.type}: ${c.reason
          .replace(/\d+(\.\d+)?/g, 'N')
          .replace(/\s+/g, ' ')
          .slice(0, 80)}`,
    )
    .sort()
    .join(' + ');
}
