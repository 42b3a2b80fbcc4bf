import { z } from 'zod';
import type { CheckSpec } from '../types.ts';
import { normalizeCheck } from './normalize-check.ts';

const fullCheck = z.looseObject({
  type: z
    .string()
    .min(1)
    .meta({ description: 'Check type, e.g. contains, regex, json-schema, or file:checks.ts#name' }),
  not: z.boolean().optional().meta({ description: 'Negate the check' }),
  weight: z.number().min(0).optional(),
  name: z.string().optional().meta({ description: 'Name shown in reports' }),
});

/**
 * A check as written in a suite or config: a full spec (`type: …`), a one-key shorthand
 * (`contains: refund`) or a bare type name (`is-json`). Parses to a normalised CheckSpec.
 */
export const checkSpecSchema = z
  .union([
    z.string().min(1),
    fullCheck,
    z.record(z.string(), z.unknown()).meta({ description: 'One-key shorthand: `contains: refund`' }),
  ])
  .superRefine((value, ctx) => {
    const r = normalizeCheck(value);
    if (!r.ok)
      ctx.addIssue({ code: 'custom', message: r.problem, params: { expected: r.expected, hint: r.hint } });
  })
  .transform((value): CheckSpec => {
    const r = normalizeCheck(value);
    return r.ok ? r.spec : { type: '' };
  })
  .meta({
    id: 'check',
    description: 'A check: { type: contains, value: refund }, shorthand { contains: refund }, or a type name',
  });
