import type { z } from 'zod';
import { issuesToConfigErrors } from '../config/issues-to-config-errors.ts';
import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { ConfigError } from '../errors.ts';
import { type Locate, parseYaml } from '../yaml-locate.ts';

/**
 * Parses and validates the YAML front matter of a Markdown artefact (prompt, judge) against `schema`.
 * Every problem is a ConfigError with the file and the line of the field; no front matter validates `{}`.
 */
export function parseFrontMatter<S extends z.ZodType>(
  yaml: string | undefined,
  lineOffset: number,
  file: string,
  schema: S,
  /** Example keys for the "must be a mapping" error: "name, settings, variables". */
  keysHint: string,
): { data: z.output<S>; locate: Locate } {
  let raw: unknown = {};
  let locate: Locate = () => undefined;
  if (yaml !== undefined) {
    const source = parseYaml(yaml, file, { lineOffset });
    raw = source.value ?? {};
    locate = source.locate;
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new ConfigError('front matter must be a mapping', {
        file,
        line: 2,
        expected: `key: value lines such as ${keysHint}`,
      });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throwConfigErrors(issuesToConfigErrors(parsed.error.issues, { file, input: raw, schema, locate }));
    throw new Error('unreachable: throwConfigErrors throws');
  }
  return { data: parsed.data, locate };
}
