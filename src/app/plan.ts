import { AssayError } from '../core/errors.ts';
import { normalQuantile } from '../core/stats/normal-quantile.ts';
import { designEffect, mdeProportion, sampleSizeProportion } from '../core/stats/power.ts';
import type { ResultRecord } from '../core/types.ts';
import { openStore } from '../store/open-store.ts';
import { locateStore } from './locate-store.ts';

export interface PlanOptions {
  /** Expected pass rate of the baseline (or take it from `pilot`). */
  baselineRate?: number;
  /** Difference in pass rate worth detecting (absolute): answer with the cases needed. */
  delta?: number;
  /** Cases available: answer with the minimum detectable effect. */
  n?: number;
  /** Both versions on the same cases (paired analysis). Implied by `discordance` and `against`. */
  paired?: boolean;
  /** P(the versions disagree on a case), paired. Default: from ρ = 0.5 (2p(1 − p)(1 − ρ)). */
  discordance?: number;
  /** Samples per case, with `icc` the correlation of a case's repeats. */
  repeats?: number;
  icc?: number;
  /** Mean cases per cluster, with `clusterIcc` the intra-cluster correlation. */
  clusterSize?: number;
  clusterIcc?: number;
  alpha?: number;
  power?: number;
  /** A stored run (id, prefix, latest) to take the baseline rate from. */
  pilot?: string;
  /** With `pilot`: a second run on the same cases, for the observed discordance. */
  against?: string;
  cwd?: string;
  config?: string;
  store?: string;
}

export interface PlanTableRow {
  n: number;
  /** 95%-style half-width of one pass rate at n (normal approximation), at the plan's α. */
  halfWidth: number;
  mdeUnpaired: number;
  mdePairedRho05: number;
  mdePairedRho07: number;
  /** With the plan's own discordance, when one is given or observed. */
  mdePairedDiscordance?: number;
}

export interface Plan {
  schemaVersion: 1;
  mode: 'sample-size' | 'mde';
  baselineRate: number;
  paired: boolean;
  discordance: number | null;
  /** ρ assumed when paired without a discordance. */
  correlation: number | null;
  alpha: number;
  power: number;
  repeats: number;
  icc: number | null;
  clusterSize: number | null;
  clusterIcc: number | null;
  /** Variance factor per case from repeats and clusters: DE_cluster · (1 + (k − 1)·ICC) / k. */
  varianceFactor: number;
  /** Sample-size mode: the difference asked for, the cases needed (per arm when unpaired) and the model calls. */
  delta?: number;
  cases?: number;
  calls?: number;
  /** MDE mode: the cases given and the minimum detectable difference. */
  n?: number;
  mde?: number;
  pilot?: { run: string; passed: number; scored: number; errors: number };
  against?: { run: string; paired: number; discordant: number };
  table: PlanTableRow[];
  notes: string[];
}

const TABLE_N = [30, 50, 100, 200, 500, 1000];

/**
 * `assay plan`: cases needed to detect a pass-rate difference δ, or the MDE at n cases, by the normal
 * approximation of core/stats/power.ts (research notes §1.5, §4.8). Repeats and clusters enter as design
 * effects: k repeats with intra-case correlation ICC are n·k trials with DE_k = 1 + (k − 1)·ICC, so the
 * cases needed are ⌈n_trials / k⌉ (exactly ⌈M²·V·DE_k·DE_cluster / (k·δ²)⌉).
 */
export async function plan(o: PlanOptions): Promise<Plan> {
  try {
    return await planUnchecked(o);
  } catch (e) {
    // Any remaining out-of-range input the core rejects is a usage error (exit 2), not a crash (exit 70).
    if (e instanceof RangeError) throw new AssayError(`impossible plan: ${e.message}`, 2);
    throw e;
  }
}

async function planUnchecked(o: PlanOptions): Promise<Plan> {
  const notes: string[] = [];
  const alpha = o.alpha ?? 0.05;
  const power = o.power ?? 0.8;
  if ((o.delta === undefined) === (o.n === undefined))
    throw new AssayError('give either --delta (cases needed) or --n (minimum detectable effect)', 2);
  if (o.against && !o.pilot) throw new AssayError('--against needs --pilot RUN', 2);
  if (o.repeats !== undefined && o.repeats > 1 && o.icc === undefined)
    throw new AssayError(
      '--repeats needs --icc: the correlation of one case’s repeats (0 = independent, 1 = always the same answer)',
      2,
    );
  if ((o.clusterSize === undefined) !== (o.clusterIcc === undefined))
    throw new AssayError('--cluster-size and --cluster-icc go together', 2);
  if (o.clusterSize !== undefined && !(Number.isInteger(o.clusterSize) && o.clusterSize >= 1))
    throw new AssayError(
      `--cluster-size must be a whole number of cases per cluster, at least 1 (got ${o.clusterSize})`,
      2,
    );
  if (o.delta !== undefined && !(o.delta > 0 && o.delta <= 1))
    throw new AssayError(`--delta must be a difference in pass rate in (0, 1] (got ${o.delta})`, 2);
  if (o.n !== undefined && !(Number.isInteger(o.n) && o.n >= 1))
    throw new AssayError(`--n must be a whole number of cases, at least 1 (got ${o.n})`, 2);
  for (const [flag, v] of [
    ['--alpha', o.alpha],
    ['--power', o.power],
  ] as const)
    if (v !== undefined && !(v > 0 && v < 1))
      throw new AssayError(`${flag} must be strictly between 0 and 1 (got ${v})`, 2);

  let baselineRate = o.baselineRate;
  let discordance = o.discordance;
  let pilotInfo: Plan['pilot'];
  let againstInfo: Plan['against'];
  if (o.pilot) {
    const cwd = o.cwd ?? process.cwd();
    const store = await openStore({ path: await locateStore({ cwd, config: o.config, store: o.store }) });
    try {
      const read = async (spec: string) => {
        const run = await store.findRun(spec);
        if (!run) throw new AssayError(`no run '${spec}' in the store; see \`assay runs list\``, 2);
        const results: ResultRecord[] = [];
        for await (const r of store.iterateResults(run.id)) results.push(r);
        return { run, results };
      };
      const a = await read(o.pilot);
      const scored = a.results.filter((r) => r.status !== 'error');
      const passed = scored.filter((r) => r.status === 'pass').length;
      if (scored.length === 0) throw new AssayError(`run ${a.run.id} has no scored result`, 3);
      pilotInfo = { run: a.run.id, passed, scored: scored.length, errors: a.results.length - scored.length };
      if (baselineRate === undefined) baselineRate = passed / scored.length;
      if (new Set(a.results.map((r) => `${r.prompt}\u0000${r.modelId}`)).size > 1)
        notes.push(`run ${a.run.id} holds several prompts or models; the baseline rate pools them`);
      if (o.against) {
        const b = await read(o.against);
        const shareA = passShares(a.results);
        const shareB = passShares(b.results);
        let paired = 0;
        let disc = 0;
        for (const [id, pa] of shareA) {
          const pb = shareB.get(id);
          if (pb === undefined) continue;
          paired++;
          disc += pa * (1 - pb) + pb * (1 - pa);
        }
        if (paired === 0) throw new AssayError(`runs ${a.run.id} and ${b.run.id} share no scored case`, 2);
        againstInfo = { run: b.run.id, paired, discordant: disc };
        if (discordance === undefined) discordance = disc / paired;
      }
    } finally {
      await store.close();
    }
  }
  if (baselineRate === undefined) throw new AssayError('give --baseline-rate P or --pilot RUN', 2);
  // Paired, |p_B − p_A| = |c − b|/n ≤ (b + c)/n: a difference larger than the discordance cannot happen.
  if (o.delta !== undefined && discordance !== undefined && o.delta > discordance)
    throw new AssayError(
      `impossible plan: a paired difference of ${o.delta} needs at least that share of cases to change result, but the discordance is ${discordance}${
        againstInfo ? ` (observed between ${pilotInfo?.run} and ${againstInfo.run})` : ''
      }; lower --delta or raise --discordance`,
      2,
    );
  const paired = Boolean(o.paired || discordance !== undefined);
  const correlation = paired && discordance === undefined ? 0.5 : null;
  const repeats = o.repeats ?? 1;
  const icc = repeats > 1 ? (o.icc ?? null) : null;
  const deRepeats = icc === null ? 1 : designEffect(repeats, icc);
  const deCluster =
    o.clusterSize !== undefined && o.clusterIcc !== undefined ? designEffect(o.clusterSize, o.clusterIcc) : 1;
  const pairedOpt = paired
    ? discordance !== undefined
      ? { discordance }
      : { correlation: correlation ?? 0.5 }
    : undefined;
  const common = { baseline: baselineRate, paired: pairedOpt, alpha, power };
  const designEffectAll = Math.max(1, deRepeats * deCluster);
  if (deRepeats * deCluster < 1)
    notes.push('a negative ICC would shrink the variance; the plan uses a design effect of 1');

  const out: Plan = {
    schemaVersion: 1,
    mode: o.delta !== undefined ? 'sample-size' : 'mde',
    baselineRate,
    paired,
    discordance: discordance ?? null,
    correlation,
    alpha,
    power,
    repeats,
    icc,
    clusterSize: o.clusterSize ?? null,
    clusterIcc: o.clusterIcc ?? null,
    varianceFactor: designEffectAll / repeats,
    ...(pilotInfo ? { pilot: pilotInfo } : {}),
    ...(againstInfo ? { against: againstInfo } : {}),
    table: [],
    notes,
  };
  if (o.delta !== undefined) {
    const trials = sampleSizeProportion({ ...common, delta: o.delta, designEffect: designEffectAll });
    out.delta = o.delta;
    out.cases = Math.ceil(trials / repeats);
    out.calls = out.cases * repeats * 2; // both versions, every case, every repeat
    if (o.delta > Math.max(baselineRate, 1 - baselineRate))
      notes.push(
        `a difference of ${o.delta} from a baseline rate of ${baselineRate} leaves [0, 1] either way`,
      );
  } else {
    const n = o.n as number;
    out.n = n;
    out.mde = mdeProportion({ ...common, n: n * repeats, designEffect: designEffectAll });
  }
  const z = normalQuantile(1 - alpha / 2);
  out.table = TABLE_N.map((n) => {
    const row: PlanTableRow = {
      n,
      halfWidth: z * Math.sqrt((baselineRate * (1 - baselineRate)) / n),
      mdeUnpaired: mdeProportion({ n, baseline: baselineRate, alpha, power }),
      mdePairedRho05: mdeProportion({
        n,
        baseline: baselineRate,
        alpha,
        power,
        paired: { correlation: 0.5 },
      }),
      mdePairedRho07: mdeProportion({
        n,
        baseline: baselineRate,
        alpha,
        power,
        paired: { correlation: 0.7 },
      }),
    };
    if (discordance !== undefined)
      row.mdePairedDiscordance = mdeProportion({
        n,
        baseline: baselineRate,
        alpha,
        power,
        paired: { discordance },
      });
    return row;
  });
  if (!paired)
    notes.push(
      'unpaired: n is per version. Run both versions on the same cases and add --paired (or --discordance): pairing usually halves the cases needed',
    );
  if (baselineRate === 0 || baselineRate === 1)
    notes.push(
      'a baseline rate of 0 or 1 has no variance under this approximation; use a pilot run or a guess inside (0, 1)',
    );
  return out;
}

/** Per-case pass share over scored results (errors left out). */
function passShares(results: ResultRecord[]): Map<string, number> {
  const acc = new Map<string, { pass: number; n: number }>();
  for (const r of results) {
    if (r.status === 'error') continue;
    const a = acc.get(r.caseId) ?? { pass: 0, n: 0 };
    a.n++;
    if (r.status === 'pass') a.pass++;
    acc.set(r.caseId, a);
  }
  return new Map([...acc].map(([id, a]) => [id, a.pass / a.n]));
}
