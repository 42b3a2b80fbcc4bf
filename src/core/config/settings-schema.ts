import { z } from 'zod';

/** Generation settings; keys not listed here are passed through to the provider. */
export const settingsSchema = z.looseObject({
  temperature: z.number().min(0).optional(),
  maxTokens: z.int().min(1).optional(),
  topP: z.number().min(0).max(1).optional(),
  stop: z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (typeof v === 'string' ? [v] : v))
    .optional(),
  seed: z.int().optional(),
});
