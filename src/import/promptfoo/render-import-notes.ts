import type { ImportNote } from './import-note.ts';

/** IMPORT-NOTES.md: what the import made, then every dropped or changed part with the reason. */
export function renderImportNotes(
  source: string,
  summary: Record<string, number>,
  notes: readonly ImportNote[],
): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const dropped = notes.filter((n) => n.kind === 'not-converted');
  const changed = notes.filter((n) => n.kind === 'changed');
  const lines = [
    `# Import notes`,
    '',
    `Imported from promptfoo config \`${source}\`: ${Object.entries(summary)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}.`,
    '',
    `## Not converted (${dropped.length})`,
    '',
  ];
  if (dropped.length) {
    lines.push('| where | what | why |', '| --- | --- | --- |');
    for (const n of dropped) lines.push(`| ${cell(n.where)} | \`${cell(n.what)}\` | ${cell(n.reason)} |`);
  } else lines.push('Everything was converted.');
  lines.push('', `## Converted with a change in meaning (${changed.length})`, '');
  if (changed.length) {
    lines.push('| where | what | change |', '| --- | --- | --- |');
    for (const n of changed) lines.push(`| ${cell(n.where)} | \`${cell(n.what)}\` | ${cell(n.reason)} |`);
  } else lines.push('None.');
  return `${lines.join('\n')}\n`;
}
