import { describeValue } from '../config/issues-to-config-errors.ts';
import { closestMatch } from '../did-you-mean.ts';
import { ConfigError, type ConfigErrorInfo } from '../errors.ts';
import type { PromptSpec } from '../types.ts';
import { coerceVariable, describeVariableType } from './variable-types.ts';

/** Where the variable values came from: a case of a suite (for error messages). */
export interface VariableSource {
  caseId?: string;
  /** Suite file and the case's line. */
  file?: string;
  line?: number;
  /** Field path of the case's vars, e.g. `cases[3].vars`. */
  field?: string;
}

/**
 * The values a prompt renders with: every declared variable, from `vars` (type-checked; strings are
 * parsed for number/boolean/object/array variables) or its default. A missing variable without a
 * default, or a value of the wrong type, is a ConfigError naming the prompt file, the case and the variable.
 */
export function resolveVariables(
  prompt: PromptSpec,
  vars: Record<string, unknown>,
  source: VariableSource = {},
): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const who = source.caseId !== undefined ? `case '${source.caseId}'` : 'the input';
  const where = (name: string): ConfigErrorInfo => ({
    file: source.file ?? prompt.file,
    line: source.line,
    field: source.field ? `${source.field}.${name}` : `vars.${name}`,
  });
  for (const [name, spec] of Object.entries(prompt.variables)) {
    const value = vars[name];
    if (value === undefined) {
      if ('default' in spec && spec.default !== undefined) {
        scope[name] = spec.default;
        continue;
      }
      const typo = closestMatch(
        name,
        Object.keys(vars).filter((k) => !(k in prompt.variables)),
      );
      throw new ConfigError(
        `${who} does not set variable '${name}' required by prompt '${prompt.name}' (${prompt.file})`,
        {
          ...where(name),
          expected: describeVariableType(spec.type),
          hint: typo
            ? `the case sets '${typo}': did you mean '${name}'?`
            : `add '${name}' to the case's vars, or give the variable a default in ${prompt.file}`,
        },
      );
    }
    const coerced = coerceVariable(value, spec.type);
    if (!coerced)
      throw new ConfigError(
        `${who} gives variable '${name}' of prompt '${prompt.name}' (${prompt.file}) ${describeValue(value)}`,
        {
          ...where(name),
          expected: describeVariableType(spec.type),
          hint: spec.type === 'string' ? 'quote the value to make it a string' : undefined,
        },
      );
    scope[name] = coerced.value;
  }
  return scope;
}
