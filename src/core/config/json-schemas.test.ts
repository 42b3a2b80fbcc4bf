import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { jsonSchemaFiles, jsonSchemas } from './json-schemas.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('generated JSON Schemas', () => {
  it('are up to date (run `node scripts/gen-schemas.ts` after changing a format)', () => {
    const files = jsonSchemaFiles();
    expect(
      readdirSync(join(repo, 'schemas'))
        .filter((f) => f.endsWith('.schema.json'))
        .sort(),
    ).toEqual(Object.keys(files).sort());
    for (const [name, text] of Object.entries(files))
      expect(readFileSync(join(repo, 'schemas', name), 'utf8')).toBe(text);
  });

  it('accept the example project', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const schemas = jsonSchemas();
    const check = (schemaName: string, value: unknown) => {
      const validate = ajv.compile(schemas[schemaName] as object);
      expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
    };
    const example = join(repo, 'examples', 'support');
    check('config.schema.json', parse(readFileSync(join(example, 'assay.yaml'), 'utf8')));
    for (const f of readdirSync(join(example, 'suites')))
      check('suite.schema.json', parse(readFileSync(join(example, 'suites', f), 'utf8')));
    for (const f of readdirSync(join(example, 'prompts'))) {
      const text = readFileSync(join(example, 'prompts', f), 'utf8');
      check('prompt-front-matter.schema.json', parse(text.split('\n---\n')[0]?.replace(/^---\n/, '') ?? ''));
    }
  });

  it('reject typos an editor should flag', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    const validate = ajv.compile(jsonSchemas()['config.schema.json'] as object);
    expect(validate({ prompts: ['a'], suites: ['b'], models: ['gpt-4o'] })).toBe(false);
    expect(validate({ prompts: ['a'], suits: ['b'] })).toBe(false);
  });
});
