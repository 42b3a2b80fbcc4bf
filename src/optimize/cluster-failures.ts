import { failsMostly, type Outcomes } from './case-outcome.ts';

export interface FailureCluster {
  signature: string;
  caseIds: string[];
}

/**
 * Groups the cases that mostly fail by their most frequent failure signature, largest cluster first (ties
 * by signature): one cluster is one candidate cause, diagnosed and fixed by one hypothesis at a time.
 */
export function clusterFailures(outcomes: Outcomes): FailureCluster[] {
  const groups = new Map<string, string[]>();
  for (const o of outcomes.values()) {
    if (!failsMostly(o)) continue;
    const counts = new Map<string, number>();
    for (const s of o.signatures) counts.set(s, (counts.get(s) ?? 0) + 1);
    const signature =
      [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ??
      'no answer (errors)';
    groups.set(signature, [...(groups.get(signature) ?? []), o.caseId]);
  }
  return [...groups.entries()]
    .map(([signature, caseIds]) => ({ signature, caseIds: caseIds.sort() }))
    .sort((a, b) => b.caseIds.length - a.caseIds.length || a.signature.localeCompare(b.signature));
}

/** The next cluster to work on: the largest one not yet tried `maxAttempts` times. */
export function pickCluster(
  clusters: readonly FailureCluster[],
  attempts: Readonly<Record<string, number>>,
  maxAttempts: number,
): FailureCluster | undefined {
  return clusters.find((c) => (attempts[c.signature] ?? 0) < maxAttempts);
}
