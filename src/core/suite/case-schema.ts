import { z } from 'zod';
import { closestMatch } from '../did-you-mean.ts';
import { agentBlockSchema } from './agent-spec-schema.ts';
import { checkSpecSchema } from './check-spec-schema.ts';
import { everyTurnSchema, simulatedUserSchema, turnsSchema } from './conversation-schema.ts';

export const BUILTIN_CATEGORIES = ['representative', 'edge', 'adversarial', 'negative'] as const;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const category = z
  .string()
  .superRefine((value, ctx) => {
    if ((BUILTIN_CATEGORIES as readonly string[]).includes(value)) return;
    const near = closestMatch(value.toLowerCase(), BUILTIN_CATEGORIES);
    if (near || !SLUG.test(value))
      ctx.addIssue({
        code: 'custom',
        message: `invalid category '${value}'`,
        params: {
          expected: `one of: ${BUILTIN_CATEGORIES.join(', ')}, or a custom slug (lowercase letters, digits, dashes)`,
          hint: near ? `did you mean '${near}'?` : undefined,
        },
      });
  })
  .meta({ description: 'representative, edge, adversarial, negative, or a custom slug' });

const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
});

const contextDocument = z.union([
  z.string().meta({ description: 'Document text; its id becomes doc-N' }),
  z.looseObject({ id: z.union([z.string().min(1), z.number()]).optional(), text: z.string() }),
]);

const tags = z.union([
  z.array(z.union([z.string().min(1), z.number().transform(String)])),
  z
    .string()
    .transform((s) =>
      s
        .split(/[,;]/)
        .map((t) => t.trim())
        .filter(Boolean),
    )
    .meta({ description: 'Comma- or semicolon-separated tags' }),
]);

/**
 * Control characters (C0, DEL, C1) and bidirectional overrides/isolates: in an id they could rewrite the
 * terminal or make a report show a different id than the one stored.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE_ID_CHARS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

const caseId = z
  .string()
  .trim()
  .min(1)
  .superRefine((value, ctx) => {
    const bad = UNSAFE_ID_CHARS.exec(value);
    if (bad)
      ctx.addIssue({
        code: 'custom',
        message: `case id contains the character U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
        params: { expected: 'an id without control characters' },
      });
  });

/** One case as written (before ids are derived and context documents are numbered). */
export const caseSchema = z
  .strictObject({
    id: z
      .union([caseId, z.number().transform(String)])
      .optional()
      .meta({ description: 'Stable id; derived from vars and messages when omitted' }),
    vars: z.record(z.string(), z.unknown()).default({}),
    messages: z
      .array(message)
      .optional()
      .meta({ description: 'Prior turns, inserted before the last prompt message' }),
    checks: z.array(checkSpecSchema).default([]),
    expected: z.unknown().optional(),
    context: z.array(contextDocument).optional(),
    category: category.optional(),
    tags: tags.default([]),
    split: z.enum(['dev', 'test']).optional(),
    cluster: z.union([z.string().min(1), z.number().transform(String)]).optional(),
    protected: z.boolean().optional(),
    review: z.enum(['unreviewed', 'accepted']).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    agent: agentBlockSchema.optional(),
    turns: turnsSchema.optional(),
    simulatedUser: simulatedUserSchema.optional(),
    everyTurn: everyTurnSchema.optional(),
  })
  .meta({ id: 'case', description: 'One test case (see docs/suites.md)' });

export type RawCase = z.output<typeof caseSchema>;

export const suiteDefaultsSchema = z.strictObject({
  checks: z.array(checkSpecSchema).default([]).meta({ description: 'Checks applied to every case' }),
  agent: agentBlockSchema
    .optional()
    .meta({ description: 'Run every case as an agent loop (docs/agents.md)' }),
  simulatedUser: simulatedUserSchema
    .optional()
    .meta({ description: 'Merged under every case without turns (docs/conversations.md)' }),
});

/** A YAML/JSON suite file as a mapping. */
export const suiteDocumentSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().min(1).optional(),
  description: z.string().optional(),
  defaults: suiteDefaultsSchema.optional(),
  cases: z.array(caseSchema),
});

/** A YAML/JSON suite file: a mapping with `cases`, or a bare list of cases. */
export const suiteFileSchema = z.union([suiteDocumentSchema, z.array(caseSchema)]);
