import { z } from 'zod';
import { issuesToConfigErrors } from '../config/issues-to-config-errors.ts';
import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { ConfigError } from '../errors.ts';
import { parseYaml } from '../yaml-locate.ts';

/**
 * One few-shot example of a pool: the inputs of the prompt's last user message (`vars`, rendered with the
 * prompt's own template) and the answer, or the two turns written out (`user`, `assistant`).
 */
export type PoolExample =
  | { vars: Record<string, unknown>; output: string; line?: number; index: number }
  | { user: string; assistant: string; line?: number; index: number };

const entrySchema = z.union([
  z.strictObject({ vars: z.record(z.string(), z.unknown()), output: z.string().min(1) }),
  z.strictObject({ user: z.string().min(1), assistant: z.string().min(1) }),
]);

const poolSchema = z.array(entrySchema).min(1);

/**
 * Parses a few-shot pool file (YAML, or JSON, a list). Every problem is a ConfigError with the pool file,
 * the line and the field (`[2].output`).
 */
export function parseExamplePool(text: string, file: string): PoolExample[] {
  const source = parseYaml(text, file);
  const raw = source.value;
  if (!Array.isArray(raw))
    throw new ConfigError('a few-shot pool must be a list of examples', {
      file,
      line: 1,
      expected: 'a YAML list of { vars: {…}, output: "…" } or { user: "…", assistant: "…" }',
      hint: '- { vars: { question: "2 + 2?" }, output: "4" }',
    });
  const parsed = poolSchema.safeParse(raw);
  if (!parsed.success) {
    throwConfigErrors(
      issuesToConfigErrors(parsed.error.issues, {
        file,
        input: raw,
        schema: poolSchema,
        locate: source.locate,
      }),
    );
  }
  return (parsed.data ?? []).map((e, index) => ({ ...e, index, line: source.locate([index])?.line }));
}
