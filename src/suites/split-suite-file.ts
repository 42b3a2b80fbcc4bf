import { AssayError } from '../core/errors.ts';
import { assignSplits, type SplitStratum } from '../core/suite/assign-splits.ts';
import { DEFAULT_SIMILARITY, fingerprintCase, similarPairs } from '../core/suite/case-similarity.ts';
import { editSuiteText, type SuiteEdit } from '../core/suite/edit-suite-text.ts';
import type { CaseSpec } from '../core/types.ts';
import { readSuiteFile, resolveSuiteFile } from './resolve-suite-file.ts';
import { writeSuiteFile } from './write-suite-file.ts';

export interface SplitSuiteOptions {
  suite: string;
  cwd?: string;
  config?: string;
  /** Share of cases for test, in [0, 1]. */
  test: number;
  seed: number;
  stratify?: 'category' | 'none';
  /** Near-duplicates at or above this similarity are kept in one split (default 0.8). */
  similarity?: number;
  /** Compute and report; write nothing. */
  dryRun?: boolean;
}

export interface SplitSuiteResult {
  schemaVersion: 1;
  suite: string;
  file: string;
  test: number;
  seed: number;
  stratify: 'category' | 'none';
  dryRun: boolean;
  /** Cases per split after the assignment. */
  dev: number;
  testCases: number;
  /** Cases whose split changes (or would, with dryRun). */
  changed: number;
  strata: SplitStratum[];
  /** Groups kept whole (clusters, duplicates) of more than one case. */
  groups: number;
  written: boolean;
}

/**
 * `assay suite split`: assigns every case of a suite to dev or test (assignSplits: seeded, stratified,
 * clusters whole) and writes `split:` into the suite file in place (editSuiteText keeps the rest of the
 * file as it was), atomically. An assignment that changes nothing writes nothing.
 */
export async function splitSuiteFile(o: SplitSuiteOptions): Promise<SplitSuiteResult> {
  const cwd = o.cwd ?? process.cwd();
  if (!(o.test >= 0 && o.test <= 1))
    throw new AssayError(`--test must be a share in [0, 1] (got ${o.test})`, 2);
  if (!Number.isInteger(o.seed) || o.seed < 0)
    throw new AssayError(`--seed must be a whole number ≥ 0 (got ${o.seed})`, 2);
  const ref = await resolveSuiteFile(o.suite, { cwd, config: o.config });
  const { text, parsed } = await readSuiteFile(ref);
  const cases = parsed.suite.cases;
  if (cases.length === 0) throw new AssayError(`${ref.shown} has no cases to split`, 2);
  const stratify = o.stratify ?? 'category';
  // Exact and near-duplicates share a split, so the split leaks nothing `assay suite stats` would flag.
  const together = similarPairs(
    cases.map((c) => fingerprintCase(c)),
    o.similarity ?? DEFAULT_SIMILARITY,
  ).map((p) => [(cases[p.a] as CaseSpec).id, (cases[p.b] as CaseSpec).id] as const);
  const a = assignSplits(cases, { test: o.test, seed: o.seed, stratify, together });
  const edits: SuiteEdit[] = [];
  for (const c of cases) {
    const split = a.splits.get(c.id) as 'dev' | 'test';
    if (c.split !== split) edits.push({ id: c.id, set: { split } });
  }
  const testCases = [...a.splits.values()].filter((s) => s === 'test').length;
  let written = false;
  if (!o.dryRun && edits.length > 0) {
    writeSuiteFile(ref.abs, ref.shown, editSuiteText(text, ref.shown, edits));
    written = true;
  }
  return {
    schemaVersion: 1,
    suite: parsed.suite.name,
    file: ref.shown,
    test: o.test,
    seed: o.seed,
    stratify,
    dryRun: Boolean(o.dryRun),
    dev: cases.length - testCases,
    testCases,
    changed: edits.length,
    strata: a.strata,
    groups: a.groups,
    written,
  };
}
