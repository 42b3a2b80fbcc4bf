import { fileRef, type PromptOrigin, promptNames } from './import-names.ts';
import type { NoteList } from './import-note.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ConvertedPrompt {
  name: string;
  messages: ChatMessage[];
  /** Where it came from, for the file's description. */
  source: string;
  /** Template variables the messages read (top-level names). */
  variables: string[];
}

/** Reads a file named by the config, relative to the config's folder; throws when it cannot. */
export type ReadFile = (path: string) => string;

const TEXT_EXT = /\.(txt|md|j2|prompt|tmpl)$/i;

/**
 * promptfoo `prompts:` → Assay prompts: inline strings, `{ raw, label }` objects, a `{ path: label }` map,
 * `file://` text files (several prompts split on `---` lines), chat JSON (inline or a `.json` file) and
 * JSONL files of chat prompts. Code prompts (`.js`, `.py`, `:function`), globs and remote prompts are noted.
 */
export function convertPrompts(raw: unknown, readFile: ReadFile, notes: NoteList): ConvertedPrompt[] {
  const entries: { value: unknown; label?: string; where: string }[] = [];
  if (raw === undefined || raw === null) return [];
  if (typeof raw === 'string') entries.push({ value: raw, where: 'prompts' });
  else if (Array.isArray(raw))
    for (const [i, v] of raw.entries()) entries.push({ value: v, where: `prompts[${i}]` });
  else if (typeof raw === 'object')
    for (const [k, v] of Object.entries(raw as Record<string, unknown>))
      entries.push({ value: k, label: typeof v === 'string' ? v : undefined, where: `prompts.${k}` });

  const found: { origin: PromptOrigin; messages: ChatMessage[]; source: string }[] = [];
  for (const e of entries) {
    let value = e.value;
    let label = e.label;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const o = value as Record<string, unknown>;
      label ??= typeof o.label === 'string' ? o.label : undefined;
      value = o.raw ?? o.id;
      if (typeof o.function === 'function' || (o.raw === undefined && typeof o.id !== 'string')) {
        notes.dropped(e.where, 'prompt object', 'only `raw` text or a `file://` id can be converted');
        continue;
      }
    }
    if (typeof value !== 'string') {
      notes.dropped(e.where, typeof value, 'a prompt must be a string, a `{ raw, label }` object or a file');
      continue;
    }
    const file = fileRef(value);
    if (!file) {
      const messages = parseChat(value) ?? [{ role: 'user' as const, content: value }];
      if (!messages.length) {
        notes.dropped(
          e.where,
          'chat prompt',
          'chat messages must have role system, user or assistant and text content',
        );
        continue;
      }
      found.push({
        origin: label ? { kind: 'labelled', label } : { kind: 'inline' },
        messages: messages.map(toLiquidMessage),
        source: 'inline prompt',
      });
      continue;
    }
    if (
      /[*?{}]/.test(file) ||
      /:[A-Za-z_]\w*$/.test(file) ||
      /\.(js|cjs|mjs|ts|py|rb|go|sh|ya?ml)$/i.test(file)
    ) {
      notes.dropped(
        e.where,
        value,
        /[*?{}]/.test(file)
          ? 'globs are not expanded; list each prompt file'
          : 'prompts built by code (or YAML prompt files) have no Assay equivalent; write the rendered messages as a prompt file',
      );
      continue;
    }
    let text: string;
    try {
      text = readFile(file);
    } catch (err) {
      notes.dropped(e.where, value, `cannot read the file: ${(err as Error).message}`);
      continue;
    }
    let parts: ChatMessage[][];
    if (/\.json$/i.test(file)) {
      const chat = parseChat(text);
      if (!chat?.length) {
        notes.dropped(e.where, value, 'a .json prompt must be a chat: a list of { role, content } messages');
        continue;
      }
      parts = [chat];
    } else if (/\.jsonl$/i.test(file)) {
      parts = [];
      for (const [i, line] of text.split(/\r?\n/).entries()) {
        if (!line.trim()) continue;
        const chat = parseChat(line);
        if (chat?.length) parts.push(chat);
        else
          notes.dropped(
            `${e.where} line ${i + 1}`,
            value,
            'not a chat: a list of { role, content } messages',
          );
      }
    } else if (TEXT_EXT.test(file) || !/\.[^./]+$/.test(file)) {
      parts = text
        .split(/^---$/m)
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => parseChat(s) ?? [{ role: 'user' as const, content: s }]);
    } else {
      notes.dropped(e.where, value, 'unsupported prompt file type; use .txt, .md, .json or .jsonl');
      continue;
    }
    parts.forEach((messages, i) => {
      found.push({
        origin: label
          ? { kind: 'labelled', label: parts.length > 1 ? `${label}-${i + 1}` : label }
          : { kind: 'file', file, indexInFile: i, countInFile: parts.length },
        messages: messages.map(toLiquidMessage),
        source: file,
      });
    });
  }
  const names = promptNames(found.map((f) => f.origin));
  return found.map((f, i) => ({
    name: names[i] as string,
    messages: f.messages,
    source: f.source,
    variables: templateVariables(f.messages.map((m) => m.content).join('\n')),
  }));
}

/** A chat prompt as promptfoo reads one: a JSON list of messages with string content; else undefined. */
export function parseChat(text: string): ChatMessage[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const out: ChatMessage[] = [];
  for (const m of parsed) {
    const o = m as { role?: unknown; content?: unknown };
    if (!o || typeof o.content !== 'string') return [];
    if (o.role !== 'system' && o.role !== 'user' && o.role !== 'assistant') return [];
    out.push({ role: o.role, content: o.content });
  }
  return out;
}

/** Nunjucks filters with another name in Liquid; `safe` means nothing there (Assay never escapes). */
const FILTERS: Record<string, string> = {
  dump: 'json',
  upper: 'upcase',
  lower: 'downcase',
  trim: 'strip',
  length: 'size',
};

/** Nunjucks filters written the Liquid way: renamed (`| upper` → `| upcase`), call style to `| f: a`. */
export function toLiquid(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, (tag) =>
    tag
      .replace(/\s*\|\s*safe\b/g, '')
      .replace(
        /\|\s*(dump|upper|lower|trim|length)\b(?:\(\s*\d*\s*\))?/g,
        (_m, f: string) => `| ${FILTERS[f]}`,
      )
      .replace(/(\|\s*[A-Za-z_]\w*)\(([^)]*)\)/g, '$1: $2'),
  );
}

function toLiquidMessage(m: ChatMessage): ChatMessage {
  return { role: m.role, content: toLiquid(m.content) };
}

const RESERVED = new Set(['loop', 'forloop', 'true', 'false', 'null', 'nil', 'not', 'and', 'or', 'empty']);

/** Top-level variable names a template reads in `{{ … }}` and `{% if/for … %}` tags, in first-use order. */
export function templateVariables(text: string): string[] {
  const names: string[] = [];
  const local = new Set<string>();
  for (const m of text.matchAll(/\{%-?\s*for\s+([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s+in\s+/g)) {
    local.add(m[1] as string);
    if (m[2]) local.add(m[2]);
  }
  for (const m of text.matchAll(
    /\{\{-?\s*([A-Za-z_]\w*)|\{%-?\s*(?:if|elif|elsif|unless|for\s+\w+(?:\s*,\s*\w+)?\s+in)\s+([A-Za-z_]\w*)/g,
  )) {
    const name = (m[1] ?? m[2]) as string;
    if (RESERVED.has(name) || local.has(name) || names.includes(name)) continue;
    names.push(name);
  }
  return names;
}
