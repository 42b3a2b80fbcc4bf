import type { CaseSpec } from '../types.ts';
import { BUILTIN_CATEGORIES } from './case-schema.ts';
import { DEFAULT_SIMILARITY, fingerprintCase, similarPairs } from './case-similarity.ts';

/** A category with fewer cases than this gets a warning: its pass rate would be all noise. */
export const TINY_CATEGORY = 5;

export type StatsCase = Pick<
  CaseSpec,
  'id' | 'vars' | 'messages' | 'category' | 'tags' | 'split' | 'cluster' | 'review'
>;

export interface CountRow {
  name: string;
  count: number;
}

export interface DuplicatePair {
  a: string;
  b: string;
  kind: 'exact' | 'near';
  /** Jaccard similarity of the word-bigram shingles (1 for exact duplicates). */
  similarity: number;
  /** Splits of a and b (absent when unsplit). */
  splitA?: 'dev' | 'test';
  splitB?: 'dev' | 'test';
}

export interface StraddlingCluster {
  cluster: string;
  dev: string[];
  test: string[];
}

export type SuiteStatsWarningCode =
  | 'missing-category'
  | 'tiny-category'
  | 'uncategorised'
  | 'duplicate'
  | 'near-duplicate'
  | 'split-leak'
  | 'cluster-straddles'
  | 'partly-split'
  | 'unreviewed';

export interface SuiteStatsWarning {
  code: SuiteStatsWarningCode;
  message: string;
}

export interface SuiteStats {
  cases: number;
  /** The four built-in categories always (0 when absent), then custom ones, then `(none)`. */
  byCategory: CountRow[];
  /** Most used first. */
  byTag: CountRow[];
  bySplit: { dev: number; test: number; none: number };
  byReview: { accepted: number; unreviewed: number; none: number };
  clusters: { count: number; casesInClusters: number; largest: number };
  similarity: number;
  /** Exact and near-duplicate pairs, most similar first (leaks included). */
  duplicates: DuplicatePair[];
  /** Duplicate pairs with one case in dev and the other in test. */
  leaks: DuplicatePair[];
  /** Clusters with cases in both splits. */
  straddlingClusters: StraddlingCluster[];
  warnings: SuiteStatsWarning[];
}

const CATEGORY_HINT: Record<(typeof BUILTIN_CATEGORIES)[number], string> = {
  representative: 'typical inputs real users send',
  edge: 'unusual but legitimate inputs: empty, very long, ambiguous, other languages, odd formats',
  adversarial: 'inputs that try to make the prompt misbehave: injection, jailbreaks, manipulation',
  negative: 'inputs the prompt should decline or not act on: out of scope, unsafe, missing information',
};

/**
 * What a suite covers and where it is weak: counts by category, tag, split and review status; missing and
 * tiny categories; exact and near-duplicate inputs (word-bigram Jaccard ≥ `similarity`); duplicates that
 * leak across the dev/test split, and clusters that straddle it.
 */
export function suiteStats(cases: readonly StatsCase[], options: { similarity?: number } = {}): SuiteStats {
  const similarity = options.similarity ?? DEFAULT_SIMILARITY;
  const warnings: SuiteStatsWarning[] = [];

  const categories = new Map<string, number>(BUILTIN_CATEGORIES.map((c) => [c, 0]));
  let uncategorised = 0;
  const tags = new Map<string, number>();
  const bySplit = { dev: 0, test: 0, none: 0 };
  const byReview = { accepted: 0, unreviewed: 0, none: 0 };
  const clusterSplits = new Map<string, { dev: string[]; test: string[]; size: number }>();
  for (const c of cases) {
    if (c.category === undefined) uncategorised++;
    else categories.set(c.category, (categories.get(c.category) ?? 0) + 1);
    for (const t of new Set(c.tags)) tags.set(t, (tags.get(t) ?? 0) + 1);
    bySplit[c.split ?? 'none']++;
    byReview[c.review ?? 'none']++;
    if (c.cluster !== undefined) {
      const entry = clusterSplits.get(c.cluster) ?? { dev: [], test: [], size: 0 };
      entry.size++;
      if (c.split) entry[c.split].push(c.id);
      clusterSplits.set(c.cluster, entry);
    }
  }
  const byCategory: CountRow[] = [...categories].map(([name, count]) => ({ name, count }));
  if (uncategorised > 0) byCategory.push({ name: '(none)', count: uncategorised });
  const byTag = [...tags]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));

  if (cases.length > 0) {
    for (const name of BUILTIN_CATEGORIES)
      if (categories.get(name) === 0)
        warnings.push({
          code: 'missing-category',
          message: `no ${name} cases (${CATEGORY_HINT[name]}); draft some with \`assay generate SUITE --category ${name}\``,
        });
    for (const { name, count } of byCategory)
      if (count > 0 && count < TINY_CATEGORY && name !== '(none)')
        warnings.push({
          code: 'tiny-category',
          message: `category ${name} has ${count} case${count === 1 ? '' : 's'} (fewer than ${TINY_CATEGORY}): its pass rate is too noisy to read`,
        });
    if (uncategorised > 0)
      warnings.push({
        code: 'uncategorised',
        message: `${uncategorised} case${uncategorised === 1 ? ' has' : 's have'} no category: set category: representative, edge, adversarial or negative`,
      });
  }

  const prints = cases.map((c) => fingerprintCase(c));
  const duplicates: DuplicatePair[] = similarPairs(prints, similarity).map((p) => {
    const a = cases[p.a] as StatsCase;
    const b = cases[p.b] as StatsCase;
    return {
      a: a.id,
      b: b.id,
      kind: p.kind,
      similarity: p.similarity,
      ...(a.split ? { splitA: a.split } : {}),
      ...(b.split ? { splitB: b.split } : {}),
    };
  });
  const leaks = duplicates.filter((d) => d.splitA && d.splitB && d.splitA !== d.splitB);
  const exact = duplicates.filter((d) => d.kind === 'exact').length;
  const near = duplicates.length - exact;
  if (exact > 0)
    warnings.push({
      code: 'duplicate',
      message: `${exact} pair${exact === 1 ? '' : 's'} of cases with exactly the same input: each counts twice in every pass rate; remove one of each`,
    });
  if (near > 0)
    warnings.push({
      code: 'near-duplicate',
      message: `${near} pair${near === 1 ? '' : 's'} of near-duplicate cases (similarity ≥ ${similarity}): remove one, or give each pair a cluster so intervals account for it`,
    });
  if (leaks.length > 0)
    warnings.push({
      code: 'split-leak',
      message: `${leaks.length} duplicate pair${leaks.length === 1 ? '' : 's'} across dev and test: the test split is not held out; re-split with \`assay suite split\` after declaring clusters, or remove one of each`,
    });

  const straddlingClusters: StraddlingCluster[] = [...clusterSplits]
    .filter(([, s]) => s.dev.length > 0 && s.test.length > 0)
    .map(([cluster, s]) => ({ cluster, dev: s.dev, test: s.test }))
    .sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
  if (straddlingClusters.length > 0)
    warnings.push({
      code: 'cluster-straddles',
      message: `${straddlingClusters.length} cluster${straddlingClusters.length === 1 ? '' : 's'} with cases in both dev and test (${straddlingClusters
        .slice(0, 3)
        .map((c) => c.cluster)
        .join(
          ', ',
        )}${straddlingClusters.length > 3 ? ', …' : ''}): related cases leak the test split; re-split with \`assay suite split\``,
    });
  if (bySplit.none > 0 && bySplit.none < cases.length)
    warnings.push({
      code: 'partly-split',
      message: `${bySplit.none} case${bySplit.none === 1 ? ' has' : 's have'} no split while others do: \`assay eval --split dev\` leaves them out`,
    });
  if (byReview.unreviewed > 0)
    warnings.push({
      code: 'unreviewed',
      message: `${byReview.unreviewed} generated case${byReview.unreviewed === 1 ? ' is' : 's are'} not reviewed yet: \`assay suite review SUITE\``,
    });

  const sizes = [...clusterSplits.values()].map((s) => s.size);
  return {
    cases: cases.length,
    byCategory,
    byTag,
    bySplit,
    byReview,
    clusters: {
      count: clusterSplits.size,
      casesInClusters: sizes.reduce((a, b) => a + b, 0),
      largest: sizes.length ? Math.max(...sizes) : 0,
    },
    similarity,
    duplicates,
    leaks,
    straddlingClusters,
    warnings,
  };
}
