import { z } from 'zod';
import { modelIdSchema } from '../config/config-schema.ts';
import { settingsSchema } from '../config/settings-schema.ts';
import type { JsonSchema, VariableSpec, VariableType } from '../types.ts';
import { jsonSchemaProblem } from './json-schema-problem.ts';
import { describeVariableType, hasVariableType, VARIABLE_TYPES } from './variable-types.ts';
import { variantsSchema } from './variants-schema.ts';

const variableType = z.enum(VARIABLE_TYPES as [VariableType, ...VariableType[]]);

const variableSpec = z
  .union([
    variableType
      .transform((type): VariableSpec => ({ type }))
      .meta({ description: 'Shorthand: `name: string`' }),
    z.strictObject({
      type: variableType,
      description: z.string().optional(),
      default: z.unknown().optional().meta({ description: 'Makes the variable optional' }),
    }),
  ])
  .superRefine((spec, ctx) => {
    if (typeof spec === 'object' && spec.default !== undefined && !hasVariableType(spec.default, spec.type))
      ctx.addIssue({
        code: 'custom',
        path: ['default'],
        message: `default does not match the variable's type '${spec.type}'`,
        params: { expected: describeVariableType(spec.type) },
      });
  });

const jsonSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  const problem = jsonSchemaProblem(schema as JsonSchema);
  if (problem)
    ctx.addIssue({
      code: 'custom',
      message: `invalid JSON Schema: ${problem}`,
      params: { expected: 'a valid JSON Schema' },
    });
});

const toolSpec = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'tool names are 1-64 letters, digits, _ or -'),
  description: z.string().optional(),
  parameters: jsonSchema.default({ type: 'object', properties: {} }).meta({
    description: "JSON Schema of the tool's arguments",
  }),
});

/** The YAML between the `---` lines of a `*.prompt.md` file. */
export const frontMatterSchema = z.strictObject({
  $schema: z.string().optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ., _ and - only')
    .optional()
    .meta({ description: 'Default: the file name without .prompt.md' }),
  description: z.string().optional(),
  model: modelIdSchema.optional().meta({ description: 'Default model id, provider:name' }),
  settings: settingsSchema.default({}),
  variables: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable names are letters, digits and _'),
      variableSpec,
    )
    .default({}),
  outputSchema: jsonSchema.optional().meta({ description: 'JSON Schema the output must match' }),
  tools: z
    .array(toolSpec)
    .superRefine((tools, ctx) => {
      const seen = new Set<string>();
      tools.forEach((t, i) => {
        if (seen.has(t.name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate tool name '${t.name}'` });
        seen.add(t.name);
      });
    })
    .optional(),
  variants: variantsSchema
    .optional()
    .meta({ description: 'Technique variants generated from this prompt (docs/techniques.md)' }),
});

export type FrontMatter = z.output<typeof frontMatterSchema>;
