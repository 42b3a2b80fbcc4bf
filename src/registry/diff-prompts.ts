import { canonicalJson } from '../core/canonical-json.ts';
import type { PromptSpec } from '../core/types.ts';

/** One changed section of a prompt: `lines` are `- old` / `+ new` / `  same` lines. */
export interface PromptDiffSection {
  section: string;
  lines: string[];
}

/** Line diff (longest common subsequence): `  ` kept, `- ` removed, `+ ` added. */
export function diffLines(a: string[], b: string[]): string[] {
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        a[i] === b[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push(`  ${a[i]}`);
      i++;
      j++;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      out.push(`- ${a[i]}`);
      i++;
    } else {
      out.push(`+ ${b[j]}`);
      j++;
    }
  }
  return out;
}

const json = (v: unknown) =>
  v === undefined ? [] : JSON.stringify(JSON.parse(canonicalJson(v)), null, 2).split('\n');

/** The sections of two prompt versions that differ: each message, variables, settings, model, output schema, tools. */
export function diffPrompts(a: PromptSpec, b: PromptSpec): PromptDiffSection[] {
  const sections: PromptDiffSection[] = [];
  const add = (section: string, from: string[], to: string[]) => {
    if (from.join('\n') === to.join('\n')) return;
    sections.push({ section, lines: diffLines(from, to) });
  };
  const count = Math.max(a.messages.length, b.messages.length);
  for (let i = 0; i < count; i++) {
    const x = a.messages[i];
    const y = b.messages[i];
    const role = x && y && x.role !== y.role ? `${x.role} → ${y.role}` : (x ?? y)?.role;
    add(`message ${i + 1} (${role})`, x ? x.content.split('\n') : [], y ? y.content.split('\n') : []);
  }
  const vars = (p: PromptSpec) =>
    Object.entries(p.variables)
      .sort(([k], [l]) => k.localeCompare(l))
      .map(([k, v]) => `${k}: ${v.type}${v.default !== undefined ? ` = ${JSON.stringify(v.default)}` : ''}`);
  add('variables', vars(a), vars(b));
  add('settings', json(a.settings), json(b.settings));
  add('model', a.model ? [a.model] : [], b.model ? [b.model] : []);
  add('output schema', json(a.outputSchema), json(b.outputSchema));
  add('tools', json(a.tools), json(b.tools));
  return sections;
}
