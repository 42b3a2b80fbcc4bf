import type { EvalReport } from '../reporters/eval-report.ts';
import { techniqueTableView } from '../views/technique-table-view.ts';
import { escapeHtml as h } from './escape-html.ts';

/** The HTML report's technique section (docs/techniques.md): one table per base prompt × model; escaped. */
export function techniqueSectionHtml(r: EvalReport): string {
  const tables = r.techniques ?? [];
  if (tables.length === 0) return '';
  const blocks = tables.map((t) => {
    const v = techniqueTableView(t);
    const verdictClass = (cell: string) => (cell === 'better' ? ' good' : cell === 'worse' ? ' bad' : '');
    const rows = v.rows.map(
      (row) =>
        `<tr>${row
          .map((cell, i) => {
            const cls = `${v.numeric[i] ? 'num' : ''}${i === 7 ? verdictClass(cell) : ''}`.trim();
            return `<td${cls ? ` class="${cls}"` : ''}>${h(cell)}</td>`;
          })
          .join('')}</tr>`,
    );
    return `<h3>${h(v.title)}</h3>
<table class="techniques"><thead><tr>${v.header.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
${v.notes.map((n) => `<p class="dim">${h(n)}</p>`).join('\n')}`;
  });
  return `<section id="techniques"><h2>Prompting techniques</h2>
<p>Variants of one prompt on the same cases: quality with its 95% interval, cost and latency, and the paired difference against the zero-shot baseline.</p>
${blocks.join('\n')}</section>`;
}

/** The Markdown report's technique tables; every cell escaped with `mdText` (the report's escape). */
export function techniqueMarkdown(r: EvalReport, mdText: (s: string) => string): string[] {
  const out: string[] = [];
  for (const t of r.techniques ?? []) {
    const v = techniqueTableView(t);
    out.push('', `### ${mdText(v.title)}`, '');
    out.push(`| ${v.header.map(mdText).join(' | ')} |`);
    out.push(`| ${v.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
    for (const row of v.rows) out.push(`| ${row.map(mdText).join(' | ')} |`);
    if (v.notes.length) out.push('', ...v.notes.map((n) => `> ${mdText(n)}`));
  }
  return out.length ? ['', '## Prompting techniques', ...out] : [];
}
