import { parse } from 'csv-parse/sync';
import { issuesToConfigErrors } from '../config/issues-to-config-errors.ts';
import { throwConfigErrors } from '../config/throw-config-errors.ts';
import { closestMatch } from '../did-you-mean.ts';
import { ConfigError } from '../errors.ts';
import type { DraftCase, SuiteDraft, SuiteWarning } from './build-suite.ts';
import { caseSchema } from './case-schema.ts';

/** Columns with a meaning of their own; any other bare column is a variable. */
export const CSV_RESERVED_COLUMNS = [
  'id',
  'expected',
  'category',
  'tags',
  'split',
  'cluster',
  'protected',
  'review',
  'checks',
  'messages',
  'context',
] as const;

const JSON_COLUMNS = new Set(['checks', 'messages', 'context']);

interface CsvRow {
  record: string[];
  info: { lines: number };
  raw: string;
}

/**
 * Reads a CSV suite. Header: `id`, `vars.NAME` or bare names (variables), `expected`, `category`, `tags`
 * (comma/semicolon separated), `split`, `cluster`, `protected`, `review`, `checks` / `messages` /
 * `context` (JSON in the cell), `metadata.KEY`. Empty cells are left out (a variable's default applies).
 */
export function readCsvSuite(text: string, file: string, warnings: SuiteWarning[] = []): SuiteDraft {
  let rows: CsvRow[];
  try {
    rows = parse(text, { bom: true, info: true, raw: true, skip_empty_lines: true }) as unknown as CsvRow[];
  } catch (e) {
    const err = e as Error & { lines?: number; code?: string };
    throw new ConfigError(
      `invalid CSV: ${err.message.replace(/ on line \d+$/, '').replace(/ at line \d+$/, '')}`,
      {
        file,
        line: err.lines,
        expected: 'one header row, then one row per case with the same number of cells',
        hint:
          err.code === 'CSV_QUOTE_NOT_CLOSED'
            ? 'close the quoted cell ("…"); write a quote inside a cell as ""'
            : undefined,
      },
    );
  }
  const header = rows[0];
  if (!header)
    throw new ConfigError('the CSV suite is empty', {
      file,
      line: 1,
      expected: 'a header row and one row per case',
    });
  const columns = header.record.map((c) => c.trim());
  const errors: ConfigError[] = [];
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    if (!c)
      errors.push(
        new ConfigError(`column ${i + 1} has no name`, {
          file,
          line: 1,
          expected: 'a name in every header cell',
        }),
      );
    else if (seen.has(c))
      errors.push(
        new ConfigError(`duplicate column '${c}'`, { file, line: 1, expected: 'each column named once' }),
      );
    seen.set(c, i);
    if (c && !c.includes('.') && !(CSV_RESERVED_COLUMNS as readonly string[]).includes(c)) {
      const near = closestMatch(c, CSV_RESERVED_COLUMNS);
      if (near)
        warnings.push({
          file,
          line: 1,
          message: `column '${c}' is read as a variable; did you mean the '${near}' column?`,
        });
    }
  });
  throwConfigErrors(errors);

  const cases: DraftCase[] = [];
  for (const row of rows.slice(1)) {
    const line = row.info.lines - (row.raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
    const raw: Record<string, unknown> = {};
    const vars: Record<string, unknown> = {};
    const metadata: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const cell = row.record[i] ?? '';
      if (cell === '') return;
      if (column.startsWith('vars.')) vars[column.slice(5)] = cell;
      else if (column.startsWith('metadata.')) metadata[column.slice(9)] = cell;
      else if (JSON_COLUMNS.has(column)) {
        const parsed = parseJsonCell(cell, column, file, line);
        if (parsed instanceof ConfigError) errors.push(parsed);
        else raw[column] = column === 'checks' && !Array.isArray(parsed) ? [parsed] : parsed;
      } else if (column === 'protected') {
        const b = parseBoolean(cell);
        raw.protected = b ?? cell;
      } else if ((CSV_RESERVED_COLUMNS as readonly string[]).includes(column)) raw[column] = cell;
      else vars[column] = cell;
    });
    raw.vars = vars;
    if (Object.keys(metadata).length) raw.metadata = metadata;
    const r = caseSchema.safeParse(raw);
    if (!r.success) {
      errors.push(...issuesToConfigErrors(r.error.issues, { file, input: raw, schema: caseSchema, line }));
      continue;
    }
    cases.push({ raw: r.data, path: [], line, checkPos: () => ({ line, column: undefined }) });
  }
  throwConfigErrors(errors);
  return { defaultChecks: [], defaultCheckPos: () => undefined, cases };
}

function parseJsonCell(cell: string, column: string, file: string, line: number): unknown {
  try {
    return JSON.parse(cell);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return new ConfigError(
      `column '${column}' is not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)$/, '')}`,
      {
        file,
        line,
        field: column,
        expected:
          column === 'checks'
            ? 'a JSON array of checks, e.g. [{"type":"contains","value":"refund"}] (double quotes doubled inside the CSV cell)'
            : 'JSON',
        hint: 'inside a quoted CSV cell, write each " as ""',
      },
    );
  }
}

function parseBoolean(cell: string): boolean | undefined {
  const v = cell.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(v)) return true;
  if (['false', 'no', 'n', '0'].includes(v)) return false;
  return undefined;
}
