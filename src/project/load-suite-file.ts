import { resolve } from 'node:path';
import type { ConfigErrorInfo } from '../core/errors.ts';
import { type ParsedSuite, suiteHash } from '../core/suite/build-suite.ts';
import { parseSuite, type SuiteFormat } from '../core/suite/parse-suite.ts';
import type { CheckSpec } from '../core/types.ts';
import { assertInsideProject } from './inside-project.ts';
import { projectPath } from './project-path.ts';
import { readTextFile } from './read-text-file.ts';
import { resolveSchemaRefs } from './resolve-schema-refs.ts';

/**
 * Reads and parses a suite file (YAML, JSONL or CSV); `schema: file.json` in checks is replaced by the
 * schema read relative to the suite file.
 */
export async function loadSuiteFile(
  file: string,
  root = process.cwd(),
  options: { format?: SuiteFormat; where?: ConfigErrorInfo } = {},
): Promise<ParsedSuite> {
  const abs = resolve(root, file);
  const shown = projectPath(root, abs);
  assertInsideProject(root, abs, 'suite file', file, options.where);
  const parsed = parseSuite(
    await readTextFile(abs, shown, options.where, 'suite file'),
    shown,
    options.format,
  );
  const all = [...parsed.suite.defaultChecks, ...parsed.suite.cases.flatMap((c) => c.checks)];
  const replaced = await resolveSchemaRefs(all, shown, root, (spec) => {
    const at = parsed.locations.checks.get(spec);
    return { file: shown, line: at?.line, column: at?.column, field: at?.field };
  });
  return replaceChecks(parsed, replaced);
}

/** The suite with each check spec swapped for its replacement (locations carried over). */
export function replaceChecks(parsed: ParsedSuite, replaced: Map<CheckSpec, CheckSpec>): ParsedSuite {
  if ([...replaced].every(([a, b]) => a === b)) return parsed;
  const swap = (spec: CheckSpec) => replaced.get(spec) ?? spec;
  const checks = new Map(parsed.locations.checks);
  for (const [from, to] of replaced) {
    const at = checks.get(from);
    if (from !== to && at) checks.set(to, at);
  }
  const cases = parsed.suite.cases.map((c) => ({ ...c, checks: c.checks.map(swap) }));
  const suite = {
    ...parsed.suite,
    hash: suiteHash(cases),
    defaultChecks: parsed.suite.defaultChecks.map(swap),
    cases,
  };
  return { ...parsed, suite, locations: { ...parsed.locations, checks } };
}
