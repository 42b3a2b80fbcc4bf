import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, stringify, type YAMLMap } from 'yaml';
import { AssayError } from '../errors.ts';
import { parseSuite, type SuiteFormat, suiteFormatOf } from './parse-suite.ts';
import { CSV_RESERVED_COLUMNS } from './read-csv-suite.ts';

/** A scalar a field can be set to in place (split, review, category…). */
export type FieldValue = string | number | boolean;

export interface SuiteEdit {
  /** The case's id as parsed (derived ids included). */
  id: string;
  /** Fields set to scalar values, in place when present, else added to the case. */
  set?: Record<string, FieldValue>;
  /** Remove the case. */
  remove?: true;
  /** Replace the whole case with this raw case (as it would be written in the file). */
  replace?: Record<string, unknown>;
}

/**
 * Applies edits to a suite file's text and appends new cases, changing nothing else: YAML keeps its
 * comments, quoting and layout (edits are spliced at the nodes' source positions, not re-serialised);
 * JSONL rewrites only the lines it changes; CSV adds columns as needed and re-quotes only rows it changes.
 * The result is parsed again, so an edit that would make the suite invalid throws instead of being written.
 */
export function editSuiteText(
  text: string,
  file: string,
  edits: readonly SuiteEdit[],
  append: readonly Record<string, unknown>[] = [],
  format?: SuiteFormat,
): string {
  const fmt = format ?? suiteFormatOf(file);
  const ids = parseSuite(text, file, fmt).suite.cases.map((c) => c.id);
  const byIndex = new Map<number, SuiteEdit>();
  for (const e of edits) {
    const i = ids.indexOf(e.id);
    if (i < 0) throw new AssayError(`${file}: no case '${e.id}' to edit`, 2);
    const prev = byIndex.get(i);
    byIndex.set(i, prev ? { ...prev, ...e, set: { ...prev.set, ...e.set } } : e);
  }
  let out: string;
  if (fmt === 'yaml') out = editYaml(text, file, byIndex, append);
  else if (fmt === 'jsonl') out = editJsonl(text, byIndex, append);
  else if (fmt === 'csv') out = editCsv(text, byIndex, append);
  else throw new AssayError(`${file}: unknown suite format`, 2);
  parseSuite(out, file, fmt);
  return out;
}

// ── YAML ────────────────────────────────────────────────────────────────────────────────────────────

interface Splice {
  start: number;
  end: number;
  text: string;
}

/**
 * Applies non-overlapping splices from the end of the text backwards. At one offset, a replacement of
 * original text goes first, then insertions, so they end up in the order they were made.
 */
function applySplices(text: string, splices: Splice[]): string {
  const sorted = splices
    .map((s, i) => ({ ...s, i }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.i - a.i);
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

function editYaml(
  text: string,
  file: string,
  edits: Map<number, SuiteEdit>,
  append: readonly Record<string, unknown>[],
): string {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const root = doc.contents;
  const seq = isSeq(root) ? root : isMap(root) ? root.get('cases', true) : undefined;
  if (!isSeq(seq)) throw new AssayError(`${file}: no list of cases to edit`, 2);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const col = (offset: number) => lc.linePos(offset).col - 1;
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  // The offset just past the line on which `offset` lies (or the text's end).
  const afterLine = (offset: number) => {
    if (offset > 0 && text[offset - 1] === '\n') return offset;
    const n = text.indexOf('\n', offset);
    return n < 0 ? text.length : n + 1;
  };
  const splices: Splice[] = [];
  const items = seq.items as Node[];
  const itemMap = (i: number): YAMLMap => {
    const node = items[i];
    if (!isMap(node) || !node.range)
      throw new AssayError(`${file}: case ${i + 1} is not written as a mapping here; edit it by hand`, 2);
    return node;
  };
  // Where an item's lines start: its dash line, or the comment lines right above it at the dash's column.
  const blockStart = (i: number) => {
    const start = lineStart((itemMap(i).range as [number, number, number])[0]);
    const dashCol = text.slice(start).search(/\S/);
    let s = start;
    while (s > 0) {
      const prev = lineStart(s - 1);
      const line = text.slice(prev, s).replace(/\r?\n$/, '');
      if (line.search(/\S/) === dashCol && line.trimStart().startsWith('#')) s = prev;
      else break;
    }
    return s;
  };
  // Just past the line on which the item's value ends (a trailing comment on that line included).
  const itemEnd = (i: number) => afterLine((itemMap(i).range as [number, number, number])[1]);
  // A case written as YAML lines: the first goes after "- ", the rest at `indent`.
  const block = (value: Record<string, unknown>, indent: number) => {
    const lines = stringify(value, { lineWidth: 0 }).replace(/\n$/, '').split('\n');
    return lines.map((l, j) => (j === 0 ? l : `${' '.repeat(indent)}${l}`)).join(nl);
  };

  const removed = [...edits].filter(([, e]) => e.remove).length;
  if (removed > 0 && removed === items.length && append.length === 0) {
    const range = seq.range as [number, number, number];
    splices.push(
      seq.flow
        ? { start: range[0], end: range[1], text: '[]' }
        : { start: range[0], end: afterLine(range[1]), text: `[]${nl}` },
    );
    if (!seq.flow && isMap(root)) {
      // `cases:` then the block on the next lines: put [] right after the key instead.
      const pair = root.items.find((p) => isScalar(p.key) && p.key.value === 'cases');
      const keyEnd = (pair?.key as Node | undefined)?.range?.[1];
      if (keyEnd !== undefined) {
        splices.pop();
        splices.push({ start: keyEnd, end: afterLine(range[1]), text: `: []${nl}` });
      }
    }
    return applySplices(text, splices);
  }

  for (const [i, e] of edits) {
    const m = itemMap(i);
    const range = m.range as [number, number, number];
    if (e.remove) {
      if (seq.flow)
        throw new AssayError(`${file}: cannot remove a case from a flow list ([...]); edit it by hand`, 2);
      splices.push({
        start: blockStart(i),
        end: i + 1 < items.length ? blockStart(i + 1) : itemEnd(i),
        text: '',
      });
      continue;
    }
    if (e.replace) {
      if (m.flow) splices.push({ start: range[0], end: range[1], text: JSON.stringify(e.replace) });
      else
        splices.push({ start: range[0], end: itemEnd(i), text: `${block(e.replace, col(range[0]))}${nl}` });
      continue;
    }
    const added: string[] = [];
    for (const [key, value] of Object.entries(e.set ?? {})) {
      const scalar = m.flow ? JSON.stringify(value) : stringify(value).replace(/\n$/, '');
      const pair = m.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
      const vRange = (pair?.value as Node | null | undefined)?.range;
      if (pair && vRange && isScalar(pair.value))
        splices.push({ start: vRange[0], end: vRange[1], text: scalar });
      else if (pair)
        throw new AssayError(`${file}: '${key}' of case ${i + 1} is not a plain value; edit it by hand`, 2);
      else added.push(m.flow ? `, ${key}: ${scalar}` : `${' '.repeat(col(range[0]))}${key}: ${scalar}${nl}`);
    }
    if (added.length === 0) continue;
    if (m.flow) {
      const close = text.lastIndexOf('}', range[1]);
      splices.push({ start: close, end: close, text: added.join('') });
    } else {
      const at = itemEnd(i);
      splices.push({
        start: at,
        end: at,
        text: (at === text.length && !text.endsWith('\n') ? nl : '') + added.join(''),
      });
    }
  }

  if (append.length > 0) {
    if (seq.flow) {
      const range = seq.range as [number, number, number];
      const close = text.lastIndexOf(']', range[1]);
      if (items.length === 0) {
        // `cases: []`: becomes a block list on the following lines.
        const keyLine = lineStart(range[0]);
        const indent = isSeq(root) ? 0 : text.slice(keyLine).search(/\S/) + 2;
        const body = append.map((c) => `${' '.repeat(indent)}- ${block(c, indent + 2)}`).join(nl);
        splices.push({ start: range[0], end: close + 1, text: `${nl}${body}` });
        // The space between `cases:` and `[]` stays as trailing whitespace; drop it.
        const before = text.slice(0, range[0]).match(/[ \t]+$/)?.[0].length ?? 0;
        if (before) splices.push({ start: range[0] - before, end: range[0], text: '' });
      } else
        splices.push({
          start: close,
          end: close,
          text: append.map((c) => `, ${JSON.stringify(c)}`).join(''),
        });
    } else {
      const last = items.length - 1;
      const lastRange = itemMap(last).range as [number, number, number];
      const indent = col(lastRange[0]);
      const dashCol = text.slice(lineStart(lastRange[0])).search(/\S/);
      const at = itemEnd(last);
      const body = append
        .map(
          (c) =>
            `${' '.repeat(dashCol)}-${' '.repeat(Math.max(1, indent - dashCol - 1))}${block(c, indent)}${nl}`,
        )
        .join('');
      splices.push({
        start: at,
        end: at,
        text: (at === text.length && !text.endsWith('\n') ? nl : '') + body,
      });
    }
  }
  return applySplices(text, splices);
}

// ── JSONL ───────────────────────────────────────────────────────────────────────────────────────────

function editJsonl(
  text: string,
  edits: Map<number, SuiteEdit>,
  append: readonly Record<string, unknown>[],
): string {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  let index = -1;
  for (const line of lines) {
    if (!line.trim()) {
      out.push(line);
      continue;
    }
    index++;
    const e = edits.get(index);
    if (!e) out.push(line);
    else if (e.remove) continue;
    else if (e.replace) out.push(JSON.stringify(e.replace));
    else {
      const obj = JSON.parse(line.replace(/^\uFEFF/, '')) as Record<string, unknown>;
      const changed = Object.entries(e.set ?? {}).some(([k, v]) => obj[k] !== v);
      if (!changed) out.push(line);
      else out.push(JSON.stringify(Object.assign(obj, e.set)));
    }
  }
  if (append.length > 0) {
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    out.push(...append.map((c) => JSON.stringify(c)), '');
  }
  return out.join(nl);
}

// ── CSV ─────────────────────────────────────────────────────────────────────────────────────────────

interface CsvRow {
  record: string[];
  raw: string;
}

const CSV_FIELDS = new Set(['id', 'expected', 'category', 'split', 'cluster', 'review', 'protected']);
const CSV_JSON = new Set(['checks', 'messages', 'context']);

function editCsv(
  text: string,
  edits: Map<number, SuiteEdit>,
  append: readonly Record<string, unknown>[],
): string {
  const rows = parseCsv(text, { bom: true, raw: true, skip_empty_lines: true }) as unknown as CsvRow[];
  const header = rows[0];
  if (!header) throw new AssayError('the CSV suite has no header row', 2);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const columns = header.record.map((c) => c.trim());
  const width = columns.length;
  const columnFor = (key: string): number => {
    const at = (name: string) => columns.indexOf(name);
    if (at(key) >= 0) return at(key);
    const bare = key.slice(5);
    // A variable may be a bare column unless its name is reserved (`vars.category` stays prefixed).
    if (
      key.startsWith('vars.') &&
      !(CSV_RESERVED_COLUMNS as readonly string[]).includes(bare) &&
      at(bare) >= 0
    )
      return at(bare);
    columns.push(key);
    return columns.length - 1;
  };
  // Cells of a raw case: column name → text.
  const cellsOf = (c: Record<string, unknown>): Map<number, string> => {
    const cells = new Map<number, string>();
    for (const [k, v] of Object.entries(c)) {
      if (v === undefined) continue;
      if (k === 'vars' || k === 'metadata') {
        for (const [name, value] of Object.entries(v as Record<string, unknown>))
          if (value !== undefined)
            cells.set(columnFor(`${k}.${name}`), typeof value === 'string' ? value : JSON.stringify(value));
      } else if (k === 'tags') cells.set(columnFor('tags'), (Array.isArray(v) ? v : [v]).join(';'));
      else if (CSV_JSON.has(k)) cells.set(columnFor(k), JSON.stringify(v));
      else if (CSV_FIELDS.has(k)) cells.set(columnFor(k), typeof v === 'string' ? v : JSON.stringify(v));
      else throw new AssayError(`a CSV suite cannot hold the field '${k}'; use YAML or JSONL`, 2);
    }
    return cells;
  };
  const body: { cells: string[]; raw?: string }[] = rows.slice(1).map((r, i) => {
    const e = edits.get(i);
    if (!e) return { cells: r.record, raw: r.raw };
    if (e.remove) return { cells: [] };
    if (e.replace) {
      const cells = cellsOf(e.replace);
      return {
        cells: Array.from({ length: Math.max(width, ...cells.keys()) + 1 }, (_, j) => cells.get(j) ?? ''),
      };
    }
    const cells = [...r.record];
    let changed = false;
    for (const [k, v] of Object.entries(e.set ?? {})) {
      const j = columnFor(k);
      const value = String(v);
      if ((cells[j] ?? '') !== value) changed = true;
      while (cells.length <= j) cells.push('');
      cells[j] = value;
    }
    return changed ? { cells } : { cells: r.record, raw: r.raw };
  });
  for (const c of append) {
    const cells = cellsOf(c);
    body.push({
      cells: Array.from({ length: Math.max(0, ...cells.keys()) + 1 }, (_, j) => cells.get(j) ?? ''),
    });
  }
  const total = columns.length;
  const line = (cells: readonly string[]) =>
    Array.from({ length: total }, (_, j) => quoteCsv(cells[j] ?? '')).join(',');
  const added = total - width;
  const out: string[] = [];
  out.push(
    added === 0
      ? stripNewline(header.raw)
      : `${stripNewline(header.raw)},${columns.slice(width).map(quoteCsv).join(',')}`,
  );
  for (const r of body) {
    if (r.raw !== undefined) out.push(`${stripNewline(r.raw)}${','.repeat(added)}`);
    else if (r.cells.length > 0) out.push(line(r.cells));
  }
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  return `${bom}${out.join(nl)}${nl}`;
}

function stripNewline(raw: string): string {
  return raw.replace(/^\uFEFF/, '').replace(/\r?\n$/, '');
}

function quoteCsv(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
