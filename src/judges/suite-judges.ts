import type { Project } from '../core/config/project.ts';
import { isJudgeSpec } from './judge-check.ts';
import { judgeRefs } from './judges-in-check.ts';

/**
 * The judges the checks of a suite (or of every suite) use — nested in all/any/weighted and a jury's
 * members included: judge file → judge name, sorted by file.
 */
export function suiteJudges(
  project: Pick<Project, 'suites'>,
  suite?: string,
): [file: string, name: string][] {
  const judges = new Map<string, string>();
  for (const s of project.suites) {
    if (suite !== undefined && s.name !== suite) continue;
    for (const c of s.cases)
      for (const spec of c.checks)
        for (const { value } of judgeRefs(spec)) if (isJudgeSpec(value)) judges.set(value.file, value.name);
  }
  return [...judges].sort(([a], [b]) => a.localeCompare(b));
}
