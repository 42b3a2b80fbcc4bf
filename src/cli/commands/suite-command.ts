import type { DuplicatePair } from '../../core/suite/suite-stats.ts';
import { table } from '../../reporters/format.ts';
import { analyzeSuite, type SuiteStatsReport } from '../../suites/analyze-suite.ts';
import { type SplitSuiteResult, splitSuiteFile } from '../../suites/split-suite-file.ts';

interface CommonFlags {
  cwd: string;
  config?: string;
  json?: boolean;
}

/** Pairs and clusters listed in the text output; --json has them all. */
const LIST_LIMIT = 20;

/** `assay suite stats SUITE`: coverage, duplicates, split leaks and MDE. Exit 1 with --strict and warnings. */
export async function suiteStatsCommand(
  suite: string,
  flags: CommonFlags & { similarity?: number; baselineRate?: number; strict?: boolean },
): Promise<number> {
  const report = await analyzeSuite({
    suite,
    cwd: flags.cwd,
    config: flags.config,
    similarity: flags.similarity,
    baselineRate: flags.baselineRate,
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${renderSuiteStats(report)}\n`);
  return flags.strict && report.warnings.length > 0 ? 1 : 0;
}

/** `assay suite split SUITE --test 0.3 --seed 7`. */
export async function suiteSplitCommand(
  suite: string,
  flags: CommonFlags & {
    test: number;
    seed: number;
    stratify?: 'category' | 'none';
    similarity?: number;
    dryRun?: boolean;
  },
): Promise<number> {
  const result = await splitSuiteFile({
    suite,
    cwd: flags.cwd,
    config: flags.config,
    test: flags.test,
    seed: flags.seed,
    stratify: flags.stratify,
    similarity: flags.similarity,
    dryRun: flags.dryRun,
  });
  if (flags.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${renderSplit(result)}\n`);
  return 0;
}

export function renderSuiteStats(r: SuiteStatsReport): string {
  const lines: string[] = [];
  lines.push(`suite ${clean(r.suite)} (${clean(r.file)}): ${r.cases} case${r.cases === 1 ? '' : 's'}`, '');
  lines.push(
    table(
      ['category', 'cases', 'share'],
      r.byCategory.map((c) => [
        clean(c.name),
        String(c.count),
        r.cases ? `${((100 * c.count) / r.cases).toFixed(0)}%` : '—',
      ]),
      [false, true, true],
    ),
  );
  lines.push('');
  if (r.byTag.length)
    lines.push(
      `tags: ${r.byTag
        .slice(0, LIST_LIMIT)
        .map((t) => `${clean(t.name)} ${t.count}`)
        .join(' · ')}${r.byTag.length > LIST_LIMIT ? ` · … ${r.byTag.length - LIST_LIMIT} more` : ''}`,
    );
  lines.push(`split: dev ${r.bySplit.dev} · test ${r.bySplit.test} · none ${r.bySplit.none}`);
  if (r.byReview.accepted + r.byReview.unreviewed > 0)
    lines.push(`review: accepted ${r.byReview.accepted} · unreviewed ${r.byReview.unreviewed}`);
  if (r.clusters.count > 0)
    lines.push(
      `clusters: ${r.clusters.count} (${r.clusters.casesInClusters} cases, largest ${r.clusters.largest})`,
    );
  if (r.duplicates.length) {
    lines.push('', `duplicates (word-bigram similarity ≥ ${r.similarity}):`);
    for (const d of r.duplicates.slice(0, LIST_LIMIT)) lines.push(`  ${pairLine(d)}`);
    if (r.duplicates.length > LIST_LIMIT)
      lines.push(`  … ${r.duplicates.length - LIST_LIMIT} more (--json lists them all)`);
  }
  if (r.straddlingClusters.length) {
    lines.push('', 'clusters in both splits:');
    for (const c of r.straddlingClusters.slice(0, LIST_LIMIT))
      lines.push(
        `  ${clean(c.cluster)}: dev ${c.dev.map(clean).join(', ')} · test ${c.test.map(clean).join(', ')}`,
      );
    if (r.straddlingClusters.length > LIST_LIMIT)
      lines.push(`  … ${r.straddlingClusters.length - LIST_LIMIT} more (--json lists them all)`);
  }
  const m = r.mde;
  if (m.rows.length) {
    lines.push(
      '',
      `minimum detectable effect, two versions on the same cases (paired, ρ = ${m.correlation}; baseline ${(100 * m.baselineRate).toFixed(0)}%, α ${m.alpha}, power ${m.power}):`,
    );
    const scope = { all: 'all cases', dev: 'dev split', test: 'test split' } as const;
    for (const row of m.rows)
      lines.push(`  ${scope[row.scope]} (${row.n}): ${(100 * row.mde).toFixed(1)} pts   = ${row.plan}`);
    for (const n of m.notes) lines.push(`  note: ${n}`);
  }
  if (r.warnings.length) {
    lines.push('', 'warnings:');
    for (const w of r.warnings) lines.push(`  ! ${clean(w.message)}`);
  } else lines.push('', 'no warnings');
  return lines.join('\n');
}

function pairLine(d: DuplicatePair): string {
  const leak = d.splitA && d.splitB && d.splitA !== d.splitB;
  const splits = d.splitA || d.splitB ? `  ${d.splitA ?? '-'}/${d.splitB ?? '-'}` : '';
  return `${d.kind.padEnd(5)}  ${clean(d.a)} ↔ ${clean(d.b)}  ${d.similarity.toFixed(2)}${splits}${leak ? '  LEAK' : ''}`;
}

export function renderSplit(r: SplitSuiteResult): string {
  const lines: string[] = [];
  lines.push(
    `${r.dryRun ? 'would split' : 'split'} ${clean(r.file)}: dev ${r.dev} · test ${r.testCases} (share ${r.test}, seed ${r.seed}${r.stratify === 'category' ? ', by category' : ''}${r.groups ? `, ${r.groups} group${r.groups === 1 ? '' : 's'} of clustered or duplicate cases kept whole` : ''})`,
    '',
  );
  lines.push(
    table(
      [r.stratify === 'category' ? 'category' : 'stratum', 'cases', 'test asked', 'test'],
      r.strata.map((s) => [clean(s.name), String(s.cases), String(s.target), String(s.test)]),
      [false, true, true, true],
    ),
  );
  lines.push('');
  if (r.dryRun)
    lines.push(
      `${r.changed} case${r.changed === 1 ? '' : 's'} would change split; nothing written (--dry-run)`,
    );
  else if (r.written)
    lines.push(`${r.changed} case${r.changed === 1 ? '' : 's'} changed split; wrote ${clean(r.file)}`);
  else lines.push('every case already has this split; nothing written');
  return lines.join('\n');
}

/** Control characters (escape sequences, bidi overrides) removed: ids and names are user text. */
export function clean(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}
