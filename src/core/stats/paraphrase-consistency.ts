import { type WilsonInterval, wilsonInterval } from './wilson.ts';

/**
 * Consistency across paraphrases (rag-agent-structured.md §4.1): cases sharing a `cluster` ask one question
 * in different words, so a robust prompt gives them the same verdict. Per prompt × model, over the clusters
 * with at least two scored cases ("paraphrase groups"):
 *
 * - agreement: the share of groups whose results all have the same verdict (all pass or all fail), with a
 *   Wilson interval over groups (groups are independent; cases within one are not);
 * - flip rate: over every pair of cases within a group, the share that disagree; with repeats, a pair
 *   counts the probability that one random repeat of each disagrees, p_i(1 − p_j) + p_j(1 − p_i), where p
 *   is a case's pass rate (so without repeats it is 0 or 1 per pair);
 * - spread: the mean over groups of (highest − lowest per-case pass rate).
 *
 * With repeats a group agrees only when every repeat of every case has the same verdict. Reported only when
 * at least two groups exist (one group says nothing about the prompt). Errored results are left out.
 */

export interface ConsistencyCase {
  caseId: string;
  cluster: string;
  /** Scored (non-error) results of the case and how many passed. */
  passed: number;
  scored: number;
}

export interface ParaphraseConsistency {
  /** Paraphrase groups: clusters with at least two scored cases. */
  clusters: number;
  /** Cases in those groups. */
  cases: number;
  /** Groups whose results all agree, with the Wilson interval over groups. */
  agreeing: number;
  agreement: WilsonInterval;
  /** Within-group pairs of cases, and the (expected, with repeats) number that disagree. */
  pairs: number;
  flippedPairs: number;
  flipRate: number;
  /** Mean over groups of the range of per-case pass rates. */
  meanSpread: number;
  /** The groups that do not agree, most spread first (then by id), at most `maxListed`. */
  disagreeing: { cluster: string; cases: number; passRate: number; spread: number }[];
}

/** The consistency of one prompt × model, as reports carry it. */
export type GroupConsistency = ParaphraseConsistency & {
  prompt: string;
  promptVersion: string;
  modelId: string;
};

/** Minimum number of paraphrase groups for the statistic to be reported. */
export const MIN_CONSISTENCY_CLUSTERS = 2;

export function paraphraseConsistency(
  cases: Iterable<ConsistencyCase>,
  maxListed = 10,
): ParaphraseConsistency | null {
  const byCluster = new Map<string, number[]>();
  const counts = new Map<string, { passed: number; scored: number }>();
  for (const c of cases) {
    if (c.scored <= 0) continue;
    if (!Number.isInteger(c.passed) || c.passed < 0 || c.passed > c.scored)
      throw new RangeError(
        `case ${c.caseId}: passed must be an integer in [0, ${c.scored}], got ${c.passed}`,
      );
    let rates = byCluster.get(c.cluster);
    if (!rates) {
      rates = [];
      byCluster.set(c.cluster, rates);
      counts.set(c.cluster, { passed: 0, scored: 0 });
    }
    rates.push(c.passed / c.scored);
    const n = counts.get(c.cluster) as { passed: number; scored: number };
    n.passed += c.passed;
    n.scored += c.scored;
  }
  const groups = [...byCluster.entries()].filter(([, rates]) => rates.length >= 2);
  if (groups.length < MIN_CONSISTENCY_CLUSTERS) return null;
  let agreeing = 0;
  let pairs = 0;
  let flipped = 0;
  let spreadSum = 0;
  let cases_ = 0;
  const disagreeing: ParaphraseConsistency['disagreeing'] = [];
  for (const [cluster, rates] of groups) {
    cases_ += rates.length;
    const agree = rates.every((p) => p === 0) || rates.every((p) => p === 1);
    if (agree) agreeing++;
    for (let i = 0; i < rates.length; i++)
      for (let j = i + 1; j < rates.length; j++) {
        const a = rates[i] as number;
        const b = rates[j] as number;
        pairs++;
        flipped += a * (1 - b) + b * (1 - a);
      }
    const spread = Math.max(...rates) - Math.min(...rates);
    spreadSum += spread;
    if (!agree) {
      const n = counts.get(cluster) as { passed: number; scored: number };
      disagreeing.push({ cluster, cases: rates.length, passRate: n.passed / n.scored, spread });
    }
  }
  disagreeing.sort(
    (x, y) => y.spread - x.spread || (x.cluster < y.cluster ? -1 : x.cluster > y.cluster ? 1 : 0),
  );
  return {
    clusters: groups.length,
    cases: cases_,
    agreeing,
    agreement: wilsonInterval(agreeing, groups.length),
    pairs,
    flippedPairs: flipped,
    flipRate: flipped / pairs,
    meanSpread: spreadSum / groups.length,
    disagreeing: disagreeing.slice(0, maxListed),
  };
}
