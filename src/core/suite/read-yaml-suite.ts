import { issuesToConfigErrors } from '../config/issues-to-config-errors.ts';
import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { ConfigError } from '../errors.ts';
import { parseYaml } from '../yaml-locate.ts';
import type { SuiteDraft } from './build-suite.ts';
import { caseSchema, suiteDocumentSchema } from './case-schema.ts';

/** Reads a YAML (or JSON) suite: a mapping with `cases`, or a bare list of cases. */
export function readYamlSuite(text: string, file: string): SuiteDraft {
  const source = parseYaml(text, file);
  const value = source.value;
  const locate = source.locate;
  if (value === null || value === undefined)
    throw new ConfigError('the suite is empty', {
      file,
      line: 1,
      expected: 'a list of cases, or a mapping with cases:',
    });
  if (Array.isArray(value)) {
    const schema = caseSchema.array();
    const r = schema.safeParse(value);
    if (!r.success)
      throwConfigErrors(issuesToConfigErrors(r.error.issues, { file, input: value, schema, locate }));
    if (!r.success) throw new Error('unreachable');
    return {
      defaultChecks: [],
      defaultCheckPos: () => undefined,
      cases: r.data.map((raw, i) => ({
        raw,
        path: [i],
        line: locate([i])?.line,
        checkPos: (j) => locate([i, 'checks', j]),
        posOf: (p) => locate([i, ...p]),
      })),
    };
  }
  if (typeof value !== 'object')
    throw new ConfigError('a suite must be a list of cases or a mapping with cases:', {
      file,
      line: locate([])?.line ?? 1,
      expected: 'a list of cases, or a mapping with cases:',
    });
  const r = suiteDocumentSchema.safeParse(value);
  if (!r.success)
    throwConfigErrors(
      issuesToConfigErrors(r.error.issues, { file, input: value, schema: suiteDocumentSchema, locate }),
    );
  if (!r.success) throw new Error('unreachable');
  const doc = r.data;
  return {
    name: doc.name,
    description: doc.description,
    defaultChecks: doc.defaults?.checks ?? [],
    ...(doc.defaults?.agent ? { defaultAgent: doc.defaults.agent } : {}),
    ...(doc.defaults?.simulatedUser ? { defaultSimulatedUser: doc.defaults.simulatedUser } : {}),
    defaultCheckPos: (j) => locate(['defaults', 'checks', j]),
    cases: doc.cases.map((raw, i) => ({
      raw,
      path: ['cases', i],
      line: locate(['cases', i])?.line,
      checkPos: (j) => locate(['cases', i, 'checks', j]),
      posOf: (p) => locate(['cases', i, ...p]),
    })),
  };
}
