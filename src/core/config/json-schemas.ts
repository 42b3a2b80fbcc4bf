import { z } from 'zod';
import { frontMatterSchema } from '../prompt/front-matter-schema.ts';
import { suiteFileSchema } from '../suite/case-schema.ts';
import { configSchema } from './config-schema.ts';

const BASE = 'https://assay.dev/schemas';

function toSchema(
  schema: z.ZodType,
  name: string,
  title: string,
  description: string,
): Record<string, unknown> {
  const json = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  return { ...json, $id: `${BASE}/${name}`, title, description };
}

/**
 * The JSON Schemas of Assay's file formats, generated from the zod schemas that validate them (for
 * editor completion: `# yaml-language-server: $schema=…`). File name → schema.
 */
export function jsonSchemas(): Record<string, Record<string, unknown>> {
  return {
    'config.schema.json': toSchema(
      configSchema,
      'config.schema.json',
      'Assay config',
      'assay.yaml: prompts, suites, models and run defaults.',
    ),
    'prompt-front-matter.schema.json': toSchema(
      frontMatterSchema,
      'prompt-front-matter.schema.json',
      'Assay prompt front matter',
      'The YAML front matter of a *.prompt.md file.',
    ),
    'suite.schema.json': toSchema(
      suiteFileSchema,
      'suite.schema.json',
      'Assay suite',
      'A suite file: a mapping with cases (and optional name, description, defaults), or a bare list of cases.',
    ),
  };
}

/** The text written to each schema file (stable: 2-space JSON and a final newline). */
export function jsonSchemaFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(jsonSchemas()))
    out[name] = `${JSON.stringify(schema, null, 2)}\n`;
  return out;
}
