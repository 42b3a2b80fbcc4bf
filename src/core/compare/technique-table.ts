import { splitVariantName } from '../prompt/expand-variants.ts';
import type { GroupSummary, Interval } from '../stats/summarize-results.ts';
import type { ResultRecord } from '../types.ts';
import { compareFamily } from './compare-family.ts';
import type { Comparison, Difference, Verdict } from './comparison.ts';

/** One technique of a prompt × model: quality, cost and latency, and the paired difference vs zero-shot. */
export interface TechniqueRow {
  /** `zero-shot`, `as written` (the base prompt when it has its own examples), `few-shot-3`, `cot`. */
  technique: string;
  prompt: string;
  promptVersion: string;
  baseline: boolean;
  /** The same interval the eval summary shows for this prompt × model. */
  passRate: Interval | null;
  passed: number;
  scored: number;
  errors: number;
  /** Distinct cases with a result (errored included). */
  cases: number;
  /** USD per case (repeats summed), over known prices; `costUnknown` when some price was unknown. */
  costPerCase: number | null;
  costUnknown: boolean;
  /** Median latency (ms) of the non-cached answered calls. */
  latencyP50: number | null;
  /** Mean tokens per case (repeats summed). */
  tokensPerCase: { input: number; output: number } | null;
  /** The paired comparison against the baseline row (absent on the baseline itself). */
  vsBaseline?: {
    /** Pass rate of this technique − the baseline's, over the paired cases, with its interval. */
    difference: Difference;
    p: number;
    /** Holm-adjusted over the table's comparisons. */
    pAdjusted: number;
    test: string;
    /** Paired 2×2 table (null when repeats disagree within cases). */
    table: Comparison['table'];
    paired: number;
    /** On the Holm-adjusted p. */
    verdict: Verdict;
  };
}

/** The techniques of one base prompt on one model (docs/techniques.md). */
export interface TechniqueTable {
  /** The base prompt's name. */
  prompt: string;
  modelId: string;
  /** The baseline row's prompt name (`NAME`, or `NAME~zero-shot` when NAME has examples). */
  baseline: string;
  /** Comparisons against the baseline (the Holm family). */
  family: number;
  adjustment: 'holm';
  alpha: number;
  rows: TechniqueRow[];
  warnings: string[];
}

export interface TechniqueTableOptions {
  /** Seed of any resampling (fractional per-case pass rates with repeats): the run's seed. */
  seed?: number;
  alpha?: number;
}

/**
 * The prompt names that belong in technique tables: every derived prompt (`NAME~technique`) and each base
 * prompt with at least one derived prompt. Lets a caller keep only these results while streaming.
 */
export function techniquePrompts(names: Iterable<string>): Set<string> {
  const all = [...names];
  const bases = new Set(
    all.map((n) => splitVariantName(n)).flatMap((s) => (s.technique !== undefined ? [s.prompt] : [])),
  );
  return new Set(all.filter((n) => bases.has(splitVariantName(n).prompt)));
}

/**
 * One table per base prompt × model that has technique variants: each technique's pass rate [CI], cost and
 * tokens per case, p50 latency, and — paired by case against the zero-shot baseline — the difference in
 * pass rate with Newcombe's interval and the exact McNemar p (the paired bootstrap and sign-flip test when
 * repeats disagree within cases), Holm-adjusted across the variants (`compareFamily`). Pure.
 *
 * `groups` are the run's summaries; `results` the results of the technique prompts (others are ignored).
 */
export function techniqueTables(
  groups: readonly GroupSummary[],
  results: Iterable<ResultRecord>,
  opts: TechniqueTableOptions = {},
): TechniqueTable[] {
  const alpha = opts.alpha ?? 0.05;
  const members = techniquePrompts(groups.map((g) => g.prompt));
  const byGroup = new Map<string, ResultRecord[]>();
  for (const r of results) {
    if (!members.has(r.prompt)) continue;
    const key = groupKey(r);
    const list = byGroup.get(key);
    if (list) list.push(r);
    else byGroup.set(key, [r]);
  }
  const families = new Map<string, GroupSummary[]>();
  for (const g of groups) {
    if (!members.has(g.prompt)) continue;
    const key = `${splitVariantName(g.prompt).prompt}\u0000${g.modelId}`;
    const list = families.get(key);
    if (list) list.push(g);
    else families.set(key, [g]);
  }

  const tables: TechniqueTable[] = [];
  for (const family of families.values()) {
    const first = family[0] as GroupSummary;
    const base = splitVariantName(first.prompt).prompt;
    const hasZeroShot = family.some((g) => splitVariantName(g.prompt).technique === 'zero-shot');
    const techniqueOf = (g: GroupSummary) =>
      splitVariantName(g.prompt).technique ?? (hasZeroShot ? 'as written' : 'zero-shot');
    const sorted = [...family].sort(
      (a, b) =>
        rank(techniqueOf(a)) - rank(techniqueOf(b)) ||
        shots(techniqueOf(a)) - shots(techniqueOf(b)) ||
        techniqueOf(a).localeCompare(techniqueOf(b)),
    );
    const baseline = sorted.find((g) => techniqueOf(g) === 'zero-shot');
    const warnings: string[] = [];
    const compared = new Map<GroupSummary, Comparison>();
    if (!baseline)
      warnings.push(
        `${base} × ${first.modelId}: no zero-shot results in this run to compare against; run the baseline with its variants (\`--prompt ${base}\` next to \`--prompt ${base}~…\`, or no --prompt)`,
      );
    else {
      const records = (g: GroupSummary) => byGroup.get(groupKey(g)) ?? [];
      const candidates = sorted.filter((g) => g !== baseline && records(g).length > 0);
      if (records(baseline).length > 0 && candidates.length > 0) {
        const result = compareFamily(
          candidates.map((g) => ({ baseline: records(baseline), candidate: records(g) })),
          { seed: opts.seed ?? 0, alpha },
        );
        for (const c of result.comparisons) {
          const g = candidates.find(
            (x) => x.promptVersion === c.candidate.promptVersion && x.prompt === c.candidate.prompt,
          );
          if (g) compared.set(g, c);
        }
        for (const w of [...result.warnings, ...result.comparisons.flatMap((c) => c.warnings)])
          if (!warnings.includes(w)) warnings.push(w);
      }
    }
    const rows = sorted.map((g): TechniqueRow => {
      const cases = new Set((byGroup.get(groupKey(g)) ?? []).map((r) => r.caseId)).size;
      const c = compared.get(g);
      return {
        technique: techniqueOf(g),
        prompt: g.prompt,
        promptVersion: g.promptVersion,
        baseline: g === baseline,
        passRate: g.passRate,
        passed: g.passed,
        scored: g.scored,
        errors: g.errors,
        cases,
        costPerCase: cases > 0 ? g.cost / cases : null,
        costUnknown: g.costUnknown,
        latencyP50: g.latency?.p50 ?? null,
        tokensPerCase: cases > 0 ? { input: g.tokens.input / cases, output: g.tokens.output / cases } : null,
        ...(c
          ? {
              vsBaseline: {
                difference: c.difference,
                p: c.p,
                pAdjusted: c.pAdjusted,
                test: c.test,
                table: c.table,
                paired: c.pairing.paired,
                verdict: c.verdict,
              },
            }
          : {}),
      };
    });
    tables.push({
      prompt: base,
      modelId: first.modelId,
      baseline: baseline?.prompt ?? '',
      family: compared.size,
      adjustment: 'holm',
      alpha,
      rows,
      warnings,
    });
  }
  return tables;
}

function groupKey(g: { promptVersion: string; modelId: string }): string {
  return `${g.promptVersion}\u0000${g.modelId}`;
}

/** Table order: the baseline, the prompt as written, few-shot by k, chain-of-thought, anything else. */
function rank(technique: string): number {
  if (technique === 'zero-shot') return 0;
  if (technique === 'as written') return 1;
  if (technique.startsWith('few-shot-')) return 2;
  if (technique === 'cot') return 3;
  return 4;
}

function shots(technique: string): number {
  const k = /^few-shot-(\d+)$/.exec(technique)?.[1];
  return k === undefined ? 0 : Number(k);
}
