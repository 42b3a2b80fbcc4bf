import pc from 'picocolors';
import type { TechniqueTable } from '../core/compare/technique-table.ts';
import { techniqueTableView } from '../views/technique-table-view.ts';
import { safeText, table } from './format.ts';

/** The terminal form of one technique table (docs/techniques.md): title, table, then how it was computed. */
export function renderTechniqueTable(t: TechniqueTable): string[] {
  const v = techniqueTableView(t);
  return [
    pc.dim(safeText(v.title, 120)),
    ...table(
      v.header,
      v.rows.map((r) => r.map((c) => safeText(c, 60))),
      v.numeric,
    ).split('\n'),
    ...v.notes.map((n) => pc.dim(`  ${safeText(n, 400)}`)),
  ];
}
