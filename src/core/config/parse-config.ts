import { ConfigError } from '../errors.ts';
import { type Locate, parseYaml } from '../yaml-locate.ts';
import { configObjectSchema, configSchema, type ResolvedConfig } from './config-schema.ts';
import { findLiteralSecrets } from './find-literal-secrets.ts';
import { formatFieldPath } from './format-field-path.ts';
import { issuesToConfigErrors } from './issues-to-config-errors.ts';
import { setModelLocation } from './model-location.ts';
import { throwConfigErrors } from './throw-config-errors.ts';

/** A validated config and a way back to where each field was written. */
export interface ParsedConfig {
  config: ResolvedConfig;
  /** Position of a field path in the config file; undefined for `assay.config.ts`. */
  locate: Locate;
}

/** Parses and validates `assay.yaml` text. All problems are reported together (ConfigErrors). */
export function parseConfig(text: string, file: string): ParsedConfig {
  const source = parseYaml(text, file);
  return validateConfig(source.value, file, { locate: source.locate, allowFunctions: false });
}

export interface ValidateConfigOptions {
  locate?: Locate;
  /** Accept `respond` functions on fake models (configs written in TypeScript/JavaScript). */
  allowFunctions?: boolean;
}

/** Validates a config value (parsed YAML, or the default export of `assay.config.ts`). */
export function validateConfig(
  value: unknown,
  file: string,
  options: ValidateConfigOptions = {},
): ParsedConfig {
  const locate: Locate = options.locate ?? (() => undefined);
  if (value === null || value === undefined)
    throw new ConfigError('the config is empty', {
      file,
      line: 1,
      expected: 'a mapping with prompts, suites and models',
      hint: 'run `assay init` to create a starter config',
    });
  const secrets = findLiteralSecrets(value);
  const errors = secrets.map((s) => {
    const pos = locate(s.path);
    return new ConfigError(`${s.reason}; credentials must not be written in config files`, {
      file,
      line: pos?.line,
      column: pos?.column,
      field: formatFieldPath(s.path),
      expected: 'the name of an environment variable in apiKeyEnv (e.g. apiKeyEnv: OPENAI_API_KEY)',
      hint: 'remove the key from the file (rotate it if it was committed) and export it in your environment',
    });
  });
  const secretFields = new Set(errors.map((e) => e.info.field));
  const schema = options.allowFunctions ? configObjectSchema : configSchema;
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = issuesToConfigErrors(result.error.issues, { file, input: value, schema, locate });
    errors.push(...issues.filter((e) => !secretFields.has(e.info.field)));
  }
  throwConfigErrors(errors);
  if (!result.success) throw new Error('unreachable: invalid config without errors');
  const config = result.data as ResolvedConfig;
  config.models.forEach((m, i) => {
    // `- id: file:…` points at the id; a bare `- file:…` at the entry.
    const idPos = locate(['models', i, 'id']);
    const pos = idPos ?? locate(['models', i]);
    const field = idPos ? `models[${i}].id` : `models[${i}]`;
    setModelLocation(m, { file, line: pos?.line, column: pos?.column, field });
  });
  return { config, locate };
}
