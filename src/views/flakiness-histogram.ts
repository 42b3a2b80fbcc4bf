/** One bar of a flakiness histogram: cases whose per-case pass rate falls in [from, to] (see `bins`). */
export interface FlakinessBin {
  label: string;
  /** Inclusive lower and exclusive upper bound of the per-case pass rate; the end bins are exactly 0 and 1. */
  from: number;
  to: number;
  cases: number;
}

/** Per-case outcome of repeated samples: passes out of k scored repeats. */
export interface CaseRepeats {
  passes: number;
  k: number;
}

/**
 * Cases of a run with repeats, binned by their pass rate: always failing (0), five bins of flaky cases
 * (0–20 %, …, 80–100 %, both ends open at 0 and 1) and always passing (1). Cases with fewer than two scored
 * repeats say nothing about flakiness and are left out. Pure: the report draws it, the UI can reuse it.
 */
export function flakinessHistogram(cases: Iterable<CaseRepeats>): FlakinessBin[] {
  const bins: FlakinessBin[] = [
    { label: 'always fail', from: 0, to: 0, cases: 0 },
    { label: '<20%', from: 0, to: 0.2, cases: 0 },
    { label: '20–40%', from: 0.2, to: 0.4, cases: 0 },
    { label: '40–60%', from: 0.4, to: 0.6, cases: 0 },
    { label: '60–80%', from: 0.6, to: 0.8, cases: 0 },
    { label: '≥80%', from: 0.8, to: 1, cases: 0 },
    { label: 'always pass', from: 1, to: 1, cases: 0 },
  ];
  for (const c of cases) {
    if (c.k < 2) continue;
    const rate = c.passes / c.k;
    const bin =
      c.passes === 0 ? bins[0] : c.passes === c.k ? bins[6] : bins[1 + Math.min(4, Math.floor(rate * 5))];
    (bin as FlakinessBin).cases++;
  }
  return bins;
}
