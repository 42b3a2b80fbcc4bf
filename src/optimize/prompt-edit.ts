import {
  type PromptDocument,
  type PromptSection,
  parsePromptDocument,
  renderPromptDocument,
} from './prompt-document.ts';

/**
 * One typed change to a prompt: the only kind of change the optimizer makes, one per step, so that every
 * step is a small reviewable diff. `find` fields name an existing line by a substring that must match
 * exactly one line of the edited message.
 */
export type PromptEdit =
  | { kind: 'add-constraint'; text: string; section?: string }
  | { kind: 'sharpen-constraint'; find: string; text: string }
  | { kind: 'clarify-format'; text: string }
  | { kind: 'add-example'; input: string; output: string }
  | { kind: 'replace-example'; index: number; input: string; output: string }
  | { kind: 'reorder-sections'; section: string; position: 'first' | 'last' | number }
  | { kind: 'add-reasoning-step'; text: string }
  | { kind: 'scope-rule'; find: string; condition: string }
  | { kind: 'remove-instruction'; find: string };

export type EditKind = PromptEdit['kind'];

export const editKinds: readonly EditKind[] = [
  'add-constraint',
  'sharpen-constraint',
  'clarify-format',
  'add-example',
  'replace-example',
  'reorder-sections',
  'add-reasoning-step',
  'scope-rule',
  'remove-instruction',
];

/** What each edit does, for the proposer's instructions and the docs. */
export const editCatalog: Record<EditKind, string> = {
  'add-constraint': '{"kind":"add-constraint","text":RULE,"section"?:TITLE} appends one rule (a bullet)',
  'sharpen-constraint':
    '{"kind":"sharpen-constraint","find":SUBSTRING,"text":RULE} rewrites one existing rule',
  'clarify-format':
    '{"kind":"clarify-format","text":SENTENCE} adds one sentence to the output format section',
  'add-example': '{"kind":"add-example","input":TEXT,"output":TEXT} adds one invented few-shot example',
  'replace-example':
    '{"kind":"replace-example","index":N,"input":TEXT,"output":TEXT} replaces example N (1-based)',
  'reorder-sections':
    '{"kind":"reorder-sections","section":TITLE,"position":"first"|"last"|N} moves one section',
  'add-reasoning-step':
    '{"kind":"add-reasoning-step","text":STEP} adds one step the model should think through',
  'scope-rule':
    '{"kind":"scope-rule","find":SUBSTRING,"condition":WHEN} makes one rule apply only when WHEN holds',
  'remove-instruction': '{"kind":"remove-instruction","find":SUBSTRING} deletes one conflicting instruction',
};

/** A proposal the optimizer cannot apply: logged as `invalid`, no model call follows. */
export class EditError extends Error {}

/** Validates an edit from untrusted JSON (a proposer's answer). */
export function parseEdit(value: unknown): PromptEdit {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new EditError('edit must be an object with a "kind"');
  const v = value as Record<string, unknown>;
  const kind = v.kind;
  if (typeof kind !== 'string' || !editKinds.includes(kind as EditKind))
    throw new EditError(`edit kind ${JSON.stringify(kind)} is not one of: ${editKinds.join(', ')}`);
  const str = (k: string): string => {
    const x = v[k];
    if (typeof x !== 'string' || x.trim() === '')
      throw new EditError(`${kind}: "${k}" must be a non-empty string`);
    if (k !== 'input' && k !== 'output' && /\n/.test(x.trim()))
      throw new EditError(`${kind}: "${k}" must be one line (one change per step)`);
    return x.trim();
  };
  switch (kind as EditKind) {
    case 'add-constraint':
      return {
        kind: 'add-constraint',
        text: str('text'),
        ...(typeof v.section === 'string' && v.section.trim() ? { section: v.section.trim() } : {}),
      };
    case 'sharpen-constraint':
      return { kind: 'sharpen-constraint', find: str('find'), text: str('text') };
    case 'clarify-format':
      return { kind: 'clarify-format', text: str('text') };
    case 'add-example':
      return { kind: 'add-example', input: str('input'), output: str('output') };
    case 'replace-example': {
      const index = v.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 1)
        throw new EditError('replace-example: "index" must be a whole number ≥ 1');
      return { kind: 'replace-example', index, input: str('input'), output: str('output') };
    }
    case 'reorder-sections': {
      const p = v.position;
      if (!(p === 'first' || p === 'last' || (typeof p === 'number' && Number.isInteger(p) && p >= 1)))
        throw new EditError('reorder-sections: "position" must be "first", "last" or a whole number ≥ 1');
      return { kind: 'reorder-sections', section: str('section'), position: p };
    }
    case 'add-reasoning-step':
      return { kind: 'add-reasoning-step', text: str('text') };
    case 'scope-rule':
      return { kind: 'scope-rule', find: str('find'), condition: str('condition') };
    case 'remove-instruction':
      return { kind: 'remove-instruction', find: str('find') };
  }
  throw new EditError(`unknown edit kind ${kind}`);
}

/** One line describing an edit (log, story, terminal). */
export function describeEdit(e: PromptEdit): string {
  switch (e.kind) {
    case 'add-constraint':
      return `add constraint${e.section ? ` to “${e.section}”` : ''}: “${e.text}”`;
    case 'sharpen-constraint':
      return `sharpen the rule containing “${e.find}” to: “${e.text}”`;
    case 'clarify-format':
      return `clarify the output format: “${e.text}”`;
    case 'add-example':
      return `add example: “${e.input}” → “${e.output}”`;
    case 'replace-example':
      return `replace example ${e.index} with: “${e.input}” → “${e.output}”`;
    case 'reorder-sections':
      return `move section “${e.section}” to position ${e.position}`;
    case 'add-reasoning-step':
      return `add reasoning step: “${e.text}”`;
    case 'scope-rule':
      return `scope the rule containing “${e.find}” to: when ${e.condition}`;
    case 'remove-instruction':
      return `remove the instruction containing “${e.find}”`;
  }
}

const BULLET = /^(\s*(?:[-*+]|\d+[.)])\s+)/;

/** Applies one edit to a prompt file's text, deterministically; throws EditError when it does not apply. */
export function applyEdit(text: string, edit: PromptEdit): string {
  const doc = parsePromptDocument(text);
  switch (edit.kind) {
    case 'add-constraint': {
      const s = edit.section
        ? (findSection(doc, edit.section) ?? addSection(doc, edit.section))
        : (matchSection(doc, /rule|constraint|instruction|guideline|policy/i) ?? addSection(doc, 'Rules'));
      appendLine(s, bulletLike(s, edit.text));
      break;
    }
    case 'clarify-format': {
      const s = matchSection(doc, /format|output/i) ?? addSection(doc, 'Output format');
      appendLine(s, bulletLike(s, edit.text));
      break;
    }
    case 'add-reasoning-step': {
      const s = matchSection(doc, /reason|step|approach|think/i) ?? addSection(doc, 'Reasoning');
      appendLine(s, bulletLike(s, edit.text));
      break;
    }
    case 'add-example': {
      const s = matchSection(doc, /example/i) ?? addSection(doc, 'Examples');
      const body = trimmed(s.lines);
      s.lines = [
        ...body,
        ...(body.some((l) => l.trim()) ? [''] : []),
        ...exampleLines(edit),
        ...blanksAfter(s.lines),
      ];
      break;
    }
    case 'replace-example': {
      const s = matchSection(doc, /example/i);
      if (!s) throw new EditError('replace-example: the prompt has no examples section');
      const blocks = exampleBlocks(s.lines);
      const block = blocks[edit.index - 1];
      if (!block)
        throw new EditError(
          `replace-example: there is no example ${edit.index} (the prompt has ${blocks.length})`,
        );
      s.lines = [...s.lines.slice(0, block.from), ...exampleLines(edit), ...s.lines.slice(block.to)];
      break;
    }
    case 'reorder-sections': {
      const i = doc.sections.findIndex((s) => sameTitle(s.title, edit.section));
      if (i < 0) throw new EditError(`reorder-sections: no section “${edit.section}” (${titles(doc)})`);
      const tailBlanks = blanksAfter(doc.sections.at(-1)?.lines ?? []);
      const all = doc.sections.map((s) => ({ ...s, lines: trimmed(s.lines) }));
      const [moved] = all.splice(i, 1);
      const to =
        edit.position === 'first'
          ? 0
          : edit.position === 'last'
            ? all.length
            : Math.min(edit.position - 1, all.length);
      all.splice(to, 0, moved as PromptSection);
      if (all.every((s, k) => s.title === doc.sections[k]?.title))
        throw new EditError(`reorder-sections: “${edit.section}” is already at that position`);
      doc.sections = all.map((s, k) => ({
        ...s,
        lines: [...s.lines, ...(k < all.length - 1 ? [''] : tailBlanks)],
      }));
      break;
    }
    case 'sharpen-constraint': {
      const { lines, index } = uniqueLine(doc, edit.find, edit.kind);
      const prefix = BULLET.exec(lines[index] as string)?.[1] ?? '';
      lines[index] = `${prefix}${edit.text}`;
      break;
    }
    case 'scope-rule': {
      const { lines, index } = uniqueLine(doc, edit.find, edit.kind);
      const line = lines[index] as string;
      const prefix = BULLET.exec(line)?.[1] ?? '';
      const rule = line.slice(prefix.length).trim();
      const condition = edit.condition.replace(/^(when|if)\s+/i, '').replace(/[,:]\s*$/, '');
      lines[index] = `${prefix}When ${condition}: ${rule.charAt(0).toLowerCase()}${rule.slice(1)}`;
      break;
    }
    case 'remove-instruction': {
      const { lines, index } = uniqueLine(doc, edit.find, edit.kind);
      lines.splice(index, 1);
      break;
    }
  }
  return renderPromptDocument(doc);
}

function sameTitle(a: string, b: string): boolean {
  return (
    a.trim().toLowerCase() ===
    b
      .trim()
      .replace(/^#+\s*/, '')
      .toLowerCase()
  );
}

function titles(doc: PromptDocument): string {
  return doc.sections.length
    ? `sections: ${doc.sections.map((s) => s.title).join(', ')}`
    : 'the prompt has no sections';
}

function findSection(doc: PromptDocument, title: string): PromptSection | undefined {
  return doc.sections.find((s) => sameTitle(s.title, title));
}

function matchSection(doc: PromptDocument, re: RegExp): PromptSection | undefined {
  return doc.sections.find((s) => re.test(s.title));
}

/** A new section at the end of the edited message, separated by one blank line. */
function addSection(doc: PromptDocument, title: string): PromptSection {
  const last = doc.sections.at(-1);
  const before = last ? last.lines : doc.preamble;
  if (before.length > 0 && before.at(-1)?.trim() !== '') before.push('');
  const s: PromptSection = { title: title.replace(/^#+\s*/, ''), lines: [] };
  doc.sections.push(s);
  return s;
}

function trimmed(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === '') end--;
  return lines.slice(0, end);
}

function blanksAfter(lines: string[]): string[] {
  return lines.slice(trimmed(lines).length);
}

function appendLine(s: PromptSection, line: string): void {
  s.lines = [...trimmed(s.lines), line, ...blanksAfter(s.lines)];
}

/** The new rule in the section's own style: a bullet when the section's rules are bullets. */
function bulletLike(s: PromptSection, text: string): string {
  const bullets = s.lines.map((l) => BULLET.exec(l)?.[1]).filter((b): b is string => b !== undefined);
  if (bullets.length === 0) return s.lines.some((l) => l.trim()) ? text : `- ${text}`;
  const last = bullets.at(-1) as string;
  const n = /^(\s*)(\d+)([.)])\s+$/.exec(last);
  return n ? `${n[1]}${Number(n[2]) + 1}${n[3]} ${text}` : `${last}${text}`;
}

function exampleLines(e: { input: string; output: string }): string[] {
  return [`Input: ${e.input.trim()}`, `Output: ${e.output.trim()}`];
}

/** Examples are blocks that start with an `Input:` line and run until the next blank line. */
function exampleBlocks(lines: string[]): { from: number; to: number }[] {
  const blocks: { from: number; to: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*input\s*:/i.test(lines[i] as string)) continue;
    let j = i + 1;
    while (
      j < lines.length &&
      (lines[j] as string).trim() !== '' &&
      !/^\s*input\s*:/i.test(lines[j] as string)
    )
      j++;
    blocks.push({ from: i, to: j });
    i = j - 1;
  }
  return blocks;
}

function uniqueLine(doc: PromptDocument, find: string, kind: string): { lines: string[]; index: number } {
  const needle = find.trim().toLowerCase();
  const hits: { lines: string[]; index: number }[] = [];
  for (const lines of [doc.preamble, ...doc.sections.map((s) => s.lines)])
    lines.forEach((l, index) => {
      if (l.toLowerCase().includes(needle)) hits.push({ lines, index });
    });
  if (hits.length === 0) throw new EditError(`${kind}: no line of the prompt contains “${find}”`);
  if (hits.length > 1)
    throw new EditError(`${kind}: ${hits.length} lines contain “${find}”; quote more of the one to change`);
  return hits[0] as { lines: string[]; index: number };
}
