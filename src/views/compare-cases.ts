import type { ResultStatus } from '../core/types.ts';
import type { ResultEntry } from './result-rows.ts';
import type { CompareCase, CompareKind } from './ui-api-types.ts';
import { wordDiff } from './word-diff.ts';

/** The order the compare view lists cases in: what needs a look first. */
export const COMPARE_KIND_ORDER: readonly CompareKind[] = [
  'regressed',
  'improved',
  'flaky',
  'error',
  'unchanged-pass',
  'unchanged-fail',
];

type Side = Pick<ResultEntry, 'caseId' | 'status' | 'output' | 'repeat'>;

/**
 * The kind of a case from its results on both sides (any number of repeats). Errored results are left
 * out of the pass rates, as the comparison does; a side with only errors makes the case an `error`. The
 * per-case pass rates then decide: lower on B is `regressed`, higher `improved`; equal rates are `flaky`
 * when some repeats pass and some fail on either side, else `unchanged-pass` or `unchanged-fail`.
 */
export function compareKind(a: readonly Side[], b: readonly Side[]): CompareKind {
  const rate = (rs: readonly Side[]) => {
    const scored = rs.filter((r) => r.status !== 'error');
    if (scored.length === 0) return undefined;
    return scored.filter((r) => r.status === 'pass').length / scored.length;
  };
  const ra = rate(a);
  const rb = rate(b);
  if (ra === undefined || rb === undefined) return 'error';
  if (rb < ra) return 'regressed';
  if (rb > ra) return 'improved';
  if (ra > 0 && ra < 1) return 'flaky';
  return ra === 1 ? 'unchanged-pass' : 'unchanged-fail';
}

/**
 * One entry per case present on both sides, ordered by COMPARE_KIND_ORDER, then by the baseline's case
 * order. `a` and `b` show each side's first repeat (the lowest), with its output; `diff` is the word diff
 * from A's output to B's. Cases on one side only are left out (the comparison's pairing lists them).
 */
export function compareCases(
  baseline: readonly Side[],
  candidate: readonly Side[],
  modelId: string,
): CompareCase[] {
  const group = (rs: readonly Side[]) => {
    const m = new Map<string, Side[]>();
    for (const r of rs) {
      const list = m.get(r.caseId);
      if (list) list.push(r);
      else m.set(r.caseId, [r]);
    }
    return m;
  };
  const a = group(baseline);
  const b = group(candidate);
  const buckets = new Map<CompareKind, CompareCase[]>(COMPARE_KIND_ORDER.map((k) => [k, []]));
  for (const [caseId, as] of a) {
    const bs = b.get(caseId);
    if (!bs) continue;
    const first = (rs: Side[]) => rs.reduce((x, y) => (y.repeat < x.repeat ? y : x));
    const fa = first(as);
    const fb = first(bs);
    const kind = compareKind(as, bs);
    (buckets.get(kind) as CompareCase[]).push({
      kind,
      caseId,
      modelId,
      a: { status: fa.status as ResultStatus, output: fa.output },
      b: { status: fb.status as ResultStatus, output: fb.output },
      diff: wordDiff(fa.output, fb.output),
    });
  }
  return COMPARE_KIND_ORDER.flatMap((k) => buckets.get(k) as CompareCase[]);
}
