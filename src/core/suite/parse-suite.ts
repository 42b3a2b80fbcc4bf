import { ConfigError } from '../errors.ts';
import { buildSuite, type ParsedSuite, type SuiteWarning } from './build-suite.ts';
import { readCsvSuite } from './read-csv-suite.ts';
import { readJsonlSuite } from './read-jsonl-suite.ts';
import { readYamlSuite } from './read-yaml-suite.ts';

export type SuiteFormat = 'yaml' | 'jsonl' | 'csv';

/** The format a suite file is read as, from its extension (`.json` is read as YAML, which includes JSON). */
export function suiteFormatOf(file: string): SuiteFormat | undefined {
  const ext = /\.([A-Za-z]+)$/.exec(file)?.[1]?.toLowerCase();
  if (ext === 'yaml' || ext === 'yml' || ext === 'json') return 'yaml';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  if (ext === 'csv') return 'csv';
  return undefined;
}

/**
 * Parses a suite (YAML, JSONL or CSV; by default chosen from the file extension) into a Suite with the
 * suite's default checks merged into every case, plus warnings (e.g. derived ids) and where each case
 * and check was written.
 */
export function parseSuite(text: string, file: string, format?: SuiteFormat): ParsedSuite {
  const fmt = format ?? suiteFormatOf(file);
  const warnings: SuiteWarning[] = [];
  let draft: ReturnType<typeof readYamlSuite>;
  switch (fmt) {
    case 'yaml':
      draft = readYamlSuite(text, file);
      break;
    case 'jsonl':
      draft = readJsonlSuite(text, file);
      break;
    case 'csv':
      draft = readCsvSuite(text, file, warnings);
      break;
    default:
      throw new ConfigError('unknown suite format', {
        file,
        expected: 'a .yaml, .yml, .json, .jsonl or .csv file',
      });
  }
  const built = buildSuite(draft, file);
  return { ...built, warnings: [...warnings, ...built.warnings] };
}
