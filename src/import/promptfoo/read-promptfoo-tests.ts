import { parse as parseYaml } from 'yaml';
import { parseCsv } from '../../annotations/parse-csv.ts';
import type { ReadFile } from './convert-prompts.ts';
import { fileRef } from './import-names.ts';
import type { NoteList } from './import-note.ts';

/** One promptfoo test as written (inline, or one CSV/YAML/JSON row), with where it came from. */
export interface RawTest {
  test: Record<string, unknown>;
  where: string;
}

const SHORTHAND_TYPES = new Set([
  'equals',
  'contains',
  'icontains',
  'contains-any',
  'contains-all',
  'icontains-any',
  'icontains-all',
  'not-contains',
  'not-icontains',
  'starts-with',
  'regex',
  'not-regex',
  'is-json',
  'contains-json',
  'levenshtein',
  'rouge-n',
  'bleu',
  'llm-rubric',
  'factuality',
  'model-graded-closedqa',
  'similar',
  'javascript',
  'python',
  'word-count',
  'answer-relevance',
  'is-valid-openai-tools-call',
]);

/**
 * promptfoo `tests:` → the flat list of tests in promptfoo's order: inline tests, and `file://` CSV,
 * YAML, JSON and JSONL files (CSV `__expected` shorthand, `__description`, `__threshold`, `__metadata:*`).
 * Generators, globs and remote sources are noted.
 */
export function readPromptfooTests(raw: unknown, readFile: ReadFile, notes: NoteList): RawTest[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const out: RawTest[] = [];
  list.forEach((t, i) => {
    const where = Array.isArray(raw) ? `tests[${i}]` : 'tests';
    if (t && typeof t === 'object' && !Array.isArray(t)) {
      if ('path' in t && !('vars' in t) && !('assert' in t)) {
        notes.dropped(
          where,
          'test generator',
          'tests produced by code are not converted; write them out as a CSV or YAML file',
        );
        return;
      }
      out.push({ test: t as Record<string, unknown>, where });
      return;
    }
    const file = fileRef(t) ?? (typeof t === 'string' && !/^[a-z]+:\/\//i.test(t) ? t : undefined);
    if (!file || /[*?{}]/.test(file) || /\.(js|ts|py)(:\w+)?$/i.test(file) || /^[a-z0-9]+:\/\//i.test(file)) {
      notes.dropped(
        where,
        String(t),
        'only inline tests and local CSV, YAML, JSON or JSONL files are converted',
      );
      return;
    }
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      notes.dropped(where, String(t), `cannot read the file: ${(err as Error).message}`);
      return;
    }
    if (/\.csv$/i.test(file)) out.push(...csvTests(text, file, notes));
    else if (/\.(ya?ml|json)$/i.test(file)) {
      const parsed = parseYaml(text) as unknown;
      const rows = Array.isArray(parsed) ? parsed : [];
      if (!Array.isArray(parsed)) notes.dropped(where, file, 'expected a list of tests');
      for (const [j, r] of rows.entries())
        out.push({ test: (r ?? {}) as Record<string, unknown>, where: `${file}[${j}]` });
    } else if (/\.jsonl$/i.test(file)) {
      text.split(/\r?\n/).forEach((line, j) => {
        if (line.trim())
          out.push({ test: JSON.parse(line) as Record<string, unknown>, where: `${file}:${j + 1}` });
      });
    } else notes.dropped(where, file, 'unsupported test file type; use .csv, .yaml, .json or .jsonl');
  });
  return out;
}

function csvTests(text: string, file: string, notes: NoteList): RawTest[] {
  const rows = parseCsv(text);
  const header = rows[0]?.fields.map((h) => h.trim()) ?? [];
  const out: RawTest[] = [];
  rows.slice(1).forEach((row, r) => {
    if (row.fields.length === 1 && row.fields[0] === '') return;
    const vars: Record<string, unknown> = {};
    const assert: Record<string, unknown>[] = [];
    const test: Record<string, unknown> = { description: `Row #${r + 1}` };
    const where = `${file}:${row.line}`;
    header.forEach((h, c) => {
      const cell = row.fields[c] ?? '';
      if (!h.startsWith('_')) {
        vars[h] = cell;
        return;
      }
      if (cell === '') return;
      if (/^__expected\d*$/.test(h)) assert.push(expectedShorthand(cell));
      else if (h === '__description') test.description = cell;
      else if (h === '__threshold') test.threshold = Number(cell);
      else if (h.startsWith('__metadata:')) {
        test.metadata = {
          ...(test.metadata as Record<string, unknown>),
          [h.slice('__metadata:'.length)]: cell,
        };
      } else notes.dropped(`${where} ${h}`, h, 'this special CSV column has no Assay equivalent');
    });
    test.vars = vars;
    if (assert.length) test.assert = assert;
    out.push({ test, where });
  });
  return out;
}

/** promptfoo's `__expected` cell: `type(threshold):value`, `grade:`, `fn:`/`eval:`, else an exact match. */
export function expectedShorthand(cell: string): Record<string, unknown> {
  if (cell === 'is-json' || cell === 'contains-json') return { type: cell };
  const m = /^([a-z][a-z:-]*?)(?:\(([\d.]+)\))?:([\s\S]*)$/.exec(cell);
  if (m) {
    const [, t, th, value] = m as unknown as [string, string, string | undefined, string];
    const type = t === 'grade' ? 'llm-rubric' : t === 'fn' || t === 'eval' ? 'javascript' : t;
    if (SHORTHAND_TYPES.has(type) || t === 'grade' || t === 'fn' || t === 'eval')
      return { type, value: value.trim(), ...(th !== undefined ? { threshold: Number(th) } : {}) };
  }
  return { type: 'equals', value: cell };
}
