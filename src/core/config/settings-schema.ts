import { z } from 'zod';
import { closestMatch } from '../did-you-mean.ts';

/** Settings Assay maps to each vendor's names (see docs/models.md). */
export const KNOWN_SETTINGS = [
  'temperature',
  'maxTokens',
  'topP',
  'topK',
  'stop',
  'seed',
  'frequencyPenalty',
  'presencePenalty',
] as const;

/**
 * Provider keys that are passed through on purpose although they look like a typo of a known setting:
 * the wire names of the OpenAI-compatible API (docs/models.md: `top_k: 40`) and vendor options.
 */
const PASS_THROUGH = new Set([
  'max_tokens',
  'top_p',
  'top_k',
  'top_a',
  'frequency_penalty',
  'presence_penalty',
  'store',
]);

/** Run the typo check even when a known setting has a wrong value, so both are reported at once. */
const isMapping = {
  when: (payload: { value: unknown }) =>
    typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/**
 * Generation settings; keys not listed here are passed through to the provider, except one within two
 * edits of a known setting (`maxToken`, `temprature`, `TopP`), which is surely a typo that would
 * otherwise be ignored without a word.
 */
export const settingsSchema = z
  .looseObject({
    temperature: z.number().min(0).optional(),
    maxTokens: z.int().min(1).optional(),
    topP: z.number().min(0).max(1).optional(),
    stop: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (typeof v === 'string' ? [v] : v))
      .optional(),
    seed: z.int().optional(),
  })
  .superRefine((settings, ctx) => {
    for (const key of Object.keys(settings)) {
      if ((KNOWN_SETTINGS as readonly string[]).includes(key) || PASS_THROUGH.has(key)) continue;
      const near = closestMatch(key, KNOWN_SETTINGS, { maxDistance: 2 });
      if (near)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `unknown setting '${key}'`,
          params: {
            at: 'key',
            expected: `one of: ${KNOWN_SETTINGS.join(', ')}, or a provider-specific key`,
            hint: `did you mean '${near}'?`,
          },
        });
    }
  }, isMapping);
