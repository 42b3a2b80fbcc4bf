import { issuesToConfigErrors } from '../config/issues-to-config-errors.ts';
import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { ConfigError } from '../errors.ts';
import type { DraftCase, SuiteDraft } from './build-suite.ts';
import { caseSchema } from './case-schema.ts';

/** Reads a JSONL suite: one case (a JSON object) per line; blank lines are skipped. */
export function readJsonlSuite(text: string, file: string): SuiteDraft {
  const errors: ConfigError[] = [];
  const cases: DraftCase[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    if (!lineText.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(lineText);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const position = /position (\d+)/.exec(message)?.[1];
      errors.push(
        new ConfigError(
          `invalid JSON: ${message.replace(/\s*\(line \d+ column \d+\)$/, '').replace(/ in JSON at position \d+/, '')}`,
          {
            file,
            line,
            column: position !== undefined ? Number(position) + 1 : undefined,
            expected: 'one JSON object per line, e.g. {"id": "a", "vars": {"q": "…"}}',
            hint: 'a case cannot span several lines in JSONL; use YAML for multi-line cases',
          },
        ),
      );
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      errors.push(
        new ConfigError('a JSONL line must be one case object', { file, line, expected: 'a JSON object' }),
      );
      return;
    }
    const r = caseSchema.safeParse(value);
    if (!r.success) {
      errors.push(...issuesToConfigErrors(r.error.issues, { file, input: value, schema: caseSchema, line }));
      return;
    }
    cases.push({ raw: r.data, path: [], line, checkPos: () => ({ line }) });
  });
  throwConfigErrors(errors);
  return { defaultChecks: [], defaultCheckPos: () => undefined, cases };
}
