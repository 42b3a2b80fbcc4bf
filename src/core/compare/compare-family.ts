import { holm } from '../stats/multiple-comparisons.ts';
import type { ResultRecord } from '../types.ts';
import { compareResults } from './compare-runs.ts';
import type { CompareOptions, Comparison } from './comparison.ts';
import { decideVerdict } from './decide-verdict.ts';

export interface ComparisonFamily {
  /** Number of candidates compared against the baseline (m of the Holm adjustment). */
  family: number;
  adjustment: 'holm';
  /** Sorted by effect, largest improvement first. */
  comparisons: Comparison[];
  warnings: string[];
}

export interface FamilyMember {
  baseline: readonly ResultRecord[];
  candidate: readonly ResultRecord[];
  /** Added to the shared options for this member (e.g. the runs' suite hashes). */
  options?: CompareOptions;
}

/**
 * Several candidates against one baseline: each paired with its baseline group (`compareResults`), raw
 * and Holm-adjusted p-values (family-wise error over the m comparisons), verdicts on the adjusted p,
 * sorted by effect (difference B − A, largest first). With one member it is that single comparison.
 */
export function compareFamily(members: readonly FamilyMember[], opts: CompareOptions = {}): ComparisonFamily {
  const comparisons = members.map((m) => compareResults(m.baseline, m.candidate, { ...opts, ...m.options }));
  const m = comparisons.length;
  const warnings: string[] = [];
  if (m > 1) {
    const adjusted = holm(comparisons.map((c) => c.p));
    comparisons.forEach((c, i) => {
      c.pAdjusted = adjusted[i] as number;
      c.family = m;
      c.verdict = decideVerdict({
        lower: c.clustered ? Math.min(c.difference.lower, c.clustered.lower) : c.difference.lower,
        upper: c.clustered ? Math.max(c.difference.upper, c.clustered.upper) : c.difference.upper,
        p: c.pAdjusted,
        alpha: c.alpha,
        margin: c.margin,
      });
    });
    warnings.push(
      `${m} candidates compared against one baseline: verdicts use Holm-adjusted p-values (family of ${m}); the best of several looks better than it is by chance alone — confirm it on held-out cases`,
    );
  }
  comparisons.sort((a, b) => effect(b) - effect(a));
  return { family: m, adjustment: 'holm', comparisons, warnings };
}

function effect(c: Comparison): number {
  return Number.isNaN(c.difference.estimate) ? Number.NEGATIVE_INFINITY : c.difference.estimate;
}
