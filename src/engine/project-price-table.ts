import { relative } from 'node:path';
import type { Project } from '../core/config/project.ts';
import { createPriceTable, type PriceTable } from '../models/price-table.ts';

/** The default price table of a project: the bundled catalog plus the project's overrides file. */
export function projectPriceTable(project: Project): PriceTable {
  return createPriceTable(
    project.pricesFile
      ? {
          overridesFile: project.pricesFile,
          overridesDisplayPath: relative(project.root, project.pricesFile),
        }
      : {},
  );
}
