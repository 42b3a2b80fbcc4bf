import { type Plan, plan } from '../../app/plan.ts';
import { table } from '../../reporters/format.ts';

interface PlanFlags {
  baselineRate?: number;
  delta?: number;
  n?: number;
  paired?: boolean;
  discordance?: number;
  repeats?: number;
  icc?: number;
  clusterSize?: number;
  clusterIcc?: number;
  alpha?: number;
  power?: number;
  pilot?: string;
  against?: string;
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

/** `assay plan`: parse, call plan(), render. */
export async function planCommand(flags: PlanFlags): Promise<number> {
  const result = await plan({
    baselineRate: flags.baselineRate,
    delta: flags.delta,
    n: flags.n,
    paired: flags.paired,
    discordance: flags.discordance,
    repeats: flags.repeats,
    icc: flags.icc,
    clusterSize: flags.clusterSize,
    clusterIcc: flags.clusterIcc,
    alpha: flags.alpha,
    power: flags.power,
    pilot: flags.pilot,
    against: flags.against,
    cwd: flags.cwd,
    config: flags.config,
    store: flags.store,
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${renderPlan(result)}\n`);
  return 0;
}

const pts = (x: number) => `${(100 * x).toFixed(1)} pts`;

export function renderPlan(p: Plan): string {
  const lines: string[] = [];
  const design = [
    p.paired
      ? p.discordance !== null
        ? `paired, discordance ${(100 * p.discordance).toFixed(1)}%`
        : `paired, ρ = ${p.correlation} assumed`
      : 'unpaired (per version)',
    p.repeats > 1 ? `${p.repeats} repeats, ICC ${p.icc}` : '',
    p.clusterSize !== null ? `clusters of ${p.clusterSize}, ICC ${p.clusterIcc}` : '',
    `α ${p.alpha} two-sided, power ${p.power}`,
  ].filter(Boolean);
  if (p.pilot)
    lines.push(
      `pilot run ${p.pilot.run}: ${p.pilot.passed}/${p.pilot.scored} passed${p.pilot.errors ? ` (${p.pilot.errors} errored, excluded)` : ''}`,
    );
  if (p.against)
    lines.push(
      `against run ${p.against.run}: ${p.against.paired} paired cases, ${p.against.discordant.toFixed(1)} discordant`,
    );
  lines.push(`baseline pass rate ${(100 * p.baselineRate).toFixed(1)}% · ${design.join(' · ')}`);
  if (p.mode === 'sample-size')
    lines.push(
      `cases needed to detect ${pts(p.delta as number)}: ${p.cases}${p.paired ? '' : ' per version'} (${p.calls} model calls for both versions)`,
    );
  else lines.push(`minimum detectable effect with ${p.n} cases: ${pts(p.mde as number)}`);
  lines.push('');
  const header = ['N', 'half-width, one prompt', 'MDE unpaired', 'MDE paired ρ=0.5', 'MDE paired ρ=0.7'];
  if (p.discordance !== null) header.push(`MDE paired, discordance ${(100 * p.discordance).toFixed(1)}%`);
  const rows = p.table.map((r) => {
    const row = [
      String(r.n),
      `±${(100 * r.halfWidth).toFixed(1)} pts`,
      pts(r.mdeUnpaired),
      pts(r.mdePairedRho05),
      pts(r.mdePairedRho07),
    ];
    if (r.mdePairedDiscordance !== undefined) row.push(pts(r.mdePairedDiscordance));
    return row;
  });
  lines.push(`for a baseline pass rate of ${(100 * p.baselineRate).toFixed(1)}% (no repeats, no clusters):`);
  lines.push(
    table(
      header,
      rows,
      header.map(() => true),
    ),
  );
  for (const n of p.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
