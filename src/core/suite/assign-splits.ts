import { createRandom, randomIndex } from '../stats/random.ts';
import type { CaseSpec } from '../types.ts';

export type SplitCase = Pick<CaseSpec, 'id' | 'category' | 'cluster'>;

export interface SplitOptions {
  /** Share of cases for the test split, in [0, 1]. */
  test: number;
  seed: number;
  /** `category` (default): each category gets the requested share; `none`: only the total does. */
  stratify?: 'category' | 'none';
  /** Pairs of case ids that must share a split (e.g. duplicates), on top of clusters. */
  together?: readonly (readonly [string, string])[];
}

export interface SplitStratum {
  /** Category (`(none)` for uncategorised cases; `all` when not stratified). */
  name: string;
  cases: number;
  /** Test cases asked for (largest-remainder share of the total) and given. */
  target: number;
  test: number;
}

export interface SplitAssignment {
  /** Case id → split, for every case. */
  splits: Map<string, 'dev' | 'test'>;
  strata: SplitStratum[];
  /** Groups kept whole: clusters and linked cases, of more than one case. */
  groups: number;
}

interface Unit {
  key: string;
  ids: string[];
  stratum: string;
}

const NONE = '(none)';

/**
 * Assigns every case to dev or test. Cases of one cluster, and cases linked by `together` (duplicates),
 * form one unit and land in the same split. With `stratify: category` each category gets round(share ×
 * its size) test cases, the roundings settled by largest remainder so the categories add up to
 * round(share × total); a unit spanning categories counts in its most common one. Within a stratum units
 * are ordered by key, shuffled with the seeded generator, and taken into test while they fit the target
 * (then the one unit that lands nearest, if any does). Whole units can leave the total off its target:
 * single units are then moved while that brings the total strictly nearer. The same cases and seed always
 * give the same assignment, whatever the order of the cases in the file.
 */
export function assignSplits(cases: readonly SplitCase[], options: SplitOptions): SplitAssignment {
  if (!(options.test >= 0 && options.test <= 1))
    throw new RangeError(`the test share must be in [0, 1], got ${options.test}`);
  const stratify = options.stratify ?? 'category';
  // Units: cases joined by a shared cluster or a link (duplicates), as connected components.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) as string;
    let y = x;
    while (parent.get(y) !== r) {
      const next = parent.get(y) as string;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  // The smaller key becomes the root, so a unit's key does not depend on the order of the cases.
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra < rb) parent.set(rb, ra);
    else if (rb < ra) parent.set(ra, rb);
  };
  const keyOf = (c: SplitCase) => `case\u0000${c.id}`;
  for (const c of cases) parent.set(keyOf(c), keyOf(c));
  for (const c of cases)
    if (c.cluster !== undefined) {
      const k = `cluster\u0000${c.cluster}`;
      if (!parent.has(k)) parent.set(k, k);
      union(k, keyOf(c));
    }
  for (const [a, b] of options.together ?? [])
    if (parent.has(`case\u0000${a}`) && parent.has(`case\u0000${b}`))
      union(`case\u0000${a}`, `case\u0000${b}`);
  const units = new Map<string, { ids: string[]; categories: Map<string, number> }>();
  for (const c of cases) {
    const key = find(keyOf(c));
    const unit = units.get(key) ?? { ids: [], categories: new Map<string, number>() };
    unit.ids.push(c.id);
    const cat = c.category ?? NONE;
    unit.categories.set(cat, (unit.categories.get(cat) ?? 0) + 1);
    units.set(key, unit);
  }
  const strata = new Map<string, Unit[]>();
  for (const [key, u] of units) {
    const stratum =
      stratify === 'none'
        ? 'all'
        : ([...u.categories].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? NONE);
    const list = strata.get(stratum) ?? [];
    list.push({ key, ids: u.ids, stratum });
    strata.set(stratum, list);
  }
  const names = [...strata.keys()].sort();
  const sizes = names.map((n) => (strata.get(n) ?? []).reduce((s, u) => s + u.ids.length, 0));
  const targets = largestRemainder(sizes, options.test);

  const random = createRandom(options.seed);
  const picked: { unit: Unit; stratum: number; test: boolean }[] = [];
  names.forEach((name, i) => {
    const list = [...(strata.get(name) ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // Fisher–Yates with the seeded generator.
    for (let j = list.length - 1; j > 0; j--) {
      const k = randomIndex(random, j + 1);
      [list[j], list[k]] = [list[k] as Unit, list[j] as Unit];
    }
    const chosen = pickUnits(
      list.map((u) => u.ids.length),
      targets[i] as number,
    );
    list.forEach((unit, j) => {
      picked.push({ unit, stratum: i, test: chosen.has(j) });
    });
  });
  // Whole groups can leave every stratum short (or over) together: move single units, in shuffled order,
  // while that brings the total strictly nearer round(share × total).
  const want = targets.reduce((a, b) => a + b, 0);
  let total = picked.reduce((s, p) => s + (p.test ? p.unit.ids.length : 0), 0);
  for (;;) {
    let best: (typeof picked)[number] | undefined;
    let bestGap = Math.abs(total - want);
    for (const p of picked) {
      const gap = Math.abs(total + (p.test ? -1 : 1) * p.unit.ids.length - want);
      if (gap < bestGap) {
        best = p;
        bestGap = gap;
      }
    }
    if (!best) break;
    total += (best.test ? -1 : 1) * best.unit.ids.length;
    best.test = !best.test;
  }
  const splits = new Map<string, 'dev' | 'test'>();
  const rows: SplitStratum[] = names.map((name, i) => ({
    name,
    cases: sizes[i] as number,
    target: targets[i] as number,
    test: 0,
  }));
  for (const p of picked) {
    for (const id of p.unit.ids) splits.set(id, p.test ? 'test' : 'dev');
    if (p.test) (rows[p.stratum] as SplitStratum).test += p.unit.ids.length;
  }
  return {
    splits,
    strata: rows,
    groups: [...units.values()].filter((u) => u.ids.length > 1).length,
  };
}

/**
 * Integer shares of `share × size` per stratum that add up to round(share × total): each gets the floor,
 * and the units left go to the largest fractional parts (ties to the earlier stratum).
 */
export function largestRemainder(sizes: readonly number[], share: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const want = Math.round(share * total + 1e-9);
  const quotas = sizes.map((s) => share * s);
  const floors = quotas.map((q) => Math.floor(q + 1e-9));
  let left = want - floors.reduce((a, b) => a + b, 0);
  const order = quotas
    .map((q, i) => ({ i, frac: q - (floors[i] as number) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    if ((floors[i] as number) < (sizes[i] as number)) {
      floors[i] = (floors[i] as number) + 1;
      left--;
    }
  }
  return floors;
}

/**
 * Indices of units (in their shuffled order) whose sizes sum as close to `target` as possible: units are
 * taken greedily while they fit; if that falls short, the single unit that brings the sum nearest the
 * target is added when it does (ties: stay under).
 */
function pickUnits(sizes: readonly number[], target: number): Set<number> {
  const chosen = new Set<number>();
  let sum = 0;
  sizes.forEach((s, i) => {
    if (sum + s <= target) {
      chosen.add(i);
      sum += s;
    }
  });
  if (sum < target) {
    let best = -1;
    let bestGap = target - sum;
    sizes.forEach((s, i) => {
      if (chosen.has(i)) return;
      const gap = Math.abs(sum + s - target);
      if (gap < bestGap) {
        best = i;
        bestGap = gap;
      }
    });
    if (best >= 0) chosen.add(best);
  }
  return chosen;
}
