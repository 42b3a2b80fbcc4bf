import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Pair, parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';

/** A 1-based position in a source file. */
export interface SourcePos {
  line: number;
  column?: number;
}

export type FieldPath = readonly (string | number)[];

/** Maps a field path to where it is written (or its deepest existing parent). */
export type Locate = (path: FieldPath, at?: 'key' | 'value') => SourcePos | undefined;

/** Parsed YAML that remembers where each value came from. */
export interface YamlSource {
  file: string;
  /** The document as plain JS values. */
  value: unknown;
  /**
   * Position of the value at `path` (or of the key when `at: 'key'`). When the path does not exist, the
   * position of its deepest existing parent.
   */
  locate: Locate;
}

export interface ParseYamlOptions {
  /** Lines before the YAML text in its file (front matter starts after the `---` line). */
  lineOffset?: number;
}

/**
 * Parses YAML text, keeping the document so a field path (for example a zod issue path) can be mapped to
 * a line and column. Syntax errors throw a ConfigError with the file and position.
 */
export function parseYaml(text: string, file: string, options: ParseYamlOptions = {}): YamlSource {
  const offset = options.lineOffset ?? 0;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0] ?? lineCounter.linePos(first.pos[0]);
    throw new ConfigError(`invalid YAML: ${yamlProblem(first.message)}`, {
      file,
      line: pos.line + offset,
      column: pos.col,
      expected: 'valid YAML',
      hint: yamlHint(first.code),
    });
  }
  const toPos = (offsetInText: number | undefined): SourcePos | undefined => {
    if (offsetInText === undefined) return undefined;
    const p = lineCounter.linePos(offsetInText);
    return { line: p.line + offset, column: p.col };
  };
  const locate = (path: FieldPath, at: 'key' | 'value' = 'value'): SourcePos | undefined => {
    let node: unknown = doc.contents;
    let pair: Pair | undefined;
    let reached = 0;
    for (const segment of path) {
      const next = child(node, segment);
      if (!next) break;
      pair = next.pair;
      node = next.node;
      reached++;
    }
    const wantKey = at === 'key' || reached < path.length || node === null || node === undefined;
    const target = wantKey && pair && reached === path.length ? pair.key : node;
    const start = rangeStart(target) ?? rangeStart(pair?.key) ?? rangeStart(doc.contents);
    return toPos(start) ?? { line: 1 + offset };
  };
  return { file, value: doc.toJS({ maxAliasCount: 1000 }), locate };
}

function child(node: unknown, segment: string | number): { node: unknown; pair?: Pair } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : item.key;
      if (String(key) !== String(segment)) continue;
      const value = item.value;
      const empty =
        !value || (isScalar(value) && value.value === null && value.range?.[0] === value.range?.[1]);
      return { node: empty ? null : value, pair: item };
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { node: item };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as Node).range;
    return range?.[0];
  }
  return undefined;
}

function yamlProblem(message: string): string {
  // yaml messages end with " at line N, column M:" plus a code frame when prettyErrors is on; it is off.
  return message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'each key may appear once per mapping; remove or rename the repeated key';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and quoting on this line (quote values containing ": " or "#")';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return 'a key is probably missing its ":" or the line above is not indented consistently';
    case 'TAB_AS_INDENT':
      return 'YAML indentation must use spaces, not tabs';
    default:
      return undefined;
  }
}
