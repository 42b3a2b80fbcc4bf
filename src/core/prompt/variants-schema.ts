import { z } from 'zod';

export const DEFAULT_COT_INSTRUCTION = "Think step by step, then give the final answer after 'Answer:'";
export const DEFAULT_COT_EXTRACT = 'Answer:\\s*(.*)';

const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (e) {
    ctx.addIssue({
      code: 'custom',
      message: `invalid regular expression: ${(e as Error).message}`,
      params: { expected: 'a JavaScript regular expression, e.g. "Answer:\\\\s*(.*)"' },
    });
  }
});

const kValue = z.int().min(1).max(50);

const fewShot = z.strictObject({
  k: z
    .union([kValue, z.array(kValue).min(1)])
    .transform((k) => [...new Set(Array.isArray(k) ? k : [k])].sort((a, b) => a - b))
    .meta({ description: 'Examples per variant: one number or a list (one variant each)' }),
  pool: z.string().min(1).meta({
    description: 'YAML/JSON list of { vars, output } or { user, assistant }, relative to the prompt file',
  }),
  seed: z.int().default(0).meta({ description: 'Seed of the draw from the pool' }),
});

const chainOfThoughtObject = z.strictObject({
  instruction: z.string().trim().min(1).default(DEFAULT_COT_INSTRUCTION),
  extract: regexSource.default(DEFAULT_COT_EXTRACT).meta({
    description: 'Regex whose last match is the answer the checks see (group 1, else the whole match)',
  }),
});

/** `variants:` in a prompt's front matter: techniques generated from the one source (docs/techniques.md). */
export const variantsSchema = z
  .strictObject({
    fewShot: fewShot.optional(),
    chainOfThought: z
      .union([
        z
          .literal(true)
          .transform(() => ({ instruction: DEFAULT_COT_INSTRUCTION, extract: DEFAULT_COT_EXTRACT })),
        chainOfThoughtObject,
      ])
      .optional()
      .meta({ description: '`true` for the defaults, or { instruction?, extract? }' }),
  })
  .refine((v) => v.fewShot !== undefined || v.chainOfThought !== undefined, {
    message: 'variants needs fewShot or chainOfThought',
    params: { expected: '{ fewShot: { k, pool, seed? } } and/or { chainOfThought: true }' },
  });
