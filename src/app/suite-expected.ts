import type { CaseSpec, RunManifest, Suite } from '../core/types.ts';
import { loadProject } from '../project/load-project.ts';

/** caseId → the case's `expected` value, for the cases that have one. */
export function expectedByCase(cases: readonly CaseSpec[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const c of cases) if (c.expected !== undefined) out.set(c.id, c.expected);
  return out;
}

/** The suite's `expected` values when it is the suite the run used (same name and hash), else undefined. */
export function runSuiteExpected(
  suite: Suite | undefined,
  manifest: RunManifest,
): Map<string, unknown> | undefined {
  if (!suite || suite.name !== manifest.suite.name || suite.hash !== manifest.suite.hash) return undefined;
  return expectedByCase(suite.cases);
}

/**
 * The `expected` values of the suite a stored run used, read from the project — only when the project's
 * suite is that suite (same name and hash): an edited suite could score outputs against values they were
 * not run with. Undefined when there is no project here or the suite changed.
 */
export async function loadSuiteExpected(
  manifest: RunManifest,
  where: { cwd: string; config?: string },
): Promise<Map<string, unknown> | undefined> {
  try {
    const project = await loadProject({ cwd: where.cwd, configPath: where.config });
    return runSuiteExpected(
      project.suites.find((s) => s.name === manifest.suite.name),
      manifest,
    );
  } catch {
    // No project (a store given with --store) or one being edited: fields are not compared.
    return undefined;
  }
}
