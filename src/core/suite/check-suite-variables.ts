import { closestMatch } from '../did-you-mean.ts';
import { ConfigError } from '../errors.ts';
import { caseVars } from '../prompt/case-vars.ts';
import { resolveVariables } from '../prompt/resolve-variables.ts';
import type { PromptSpec, Suite } from '../types.ts';
import type { SuiteLocations, SuiteWarning } from './build-suite.ts';

/** At most this many variable errors per suite × prompt; the rest are summarised. */
const MAX_ERRORS = 10;

/**
 * Checks that every case of `suite` gives each prompt what it needs: every required variable, each of the
 * declared type. Also warns about variables no prompt of the suite declares (likely typos).
 */
export function checkSuiteVariables(
  suite: Suite,
  prompts: PromptSpec[],
  locations: SuiteLocations,
): { errors: ConfigError[]; warnings: SuiteWarning[] } {
  const errors: ConfigError[] = [];
  const warnings: SuiteWarning[] = [];
  for (const prompt of prompts) {
    let count = 0;
    let firstSkipped: ConfigError | undefined;
    for (const testCase of suite.cases) {
      const at = locations.cases.get(testCase.id);
      try {
        resolveVariables(prompt, caseVars(testCase), {
          caseId: testCase.id,
          file: suite.file,
          line: at?.line,
          field: at?.field ? `${at.field}.vars` : 'vars',
        });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        count++;
        if (count <= MAX_ERRORS) errors.push(e);
        else firstSkipped ??= e;
      }
    }
    if (count > MAX_ERRORS)
      errors.push(
        new ConfigError(
          `${count - MAX_ERRORS} more cases have variable problems for prompt '${prompt.name}'`,
          {
            file: suite.file,
            line: firstSkipped?.info.line,
          },
        ),
      );
  }

  const declared = new Set(prompts.flatMap((p) => Object.keys(p.variables)));
  const unknown = new Map<string, { line?: number; count: number }>();
  for (const testCase of suite.cases) {
    for (const name of Object.keys(testCase.vars)) {
      if (declared.has(name)) continue;
      const seen = unknown.get(name);
      if (seen) seen.count++;
      else unknown.set(name, { line: locations.cases.get(testCase.id)?.line, count: 1 });
    }
  }
  for (const [name, { line, count }] of unknown) {
    const near = closestMatch(name, [...declared]);
    const users = prompts.map((p) => p.name).join(', ');
    warnings.push({
      file: suite.file,
      line,
      message: `variable '${name}' (set by ${count} case${count === 1 ? '' : 's'}) is not declared by ${prompts.length === 1 ? 'prompt' : 'prompts'} ${users || '(none)'} and is ignored${near ? `; did you mean '${near}'?` : ''}`,
    });
  }
  return { errors, warnings };
}
