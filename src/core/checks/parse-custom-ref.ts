export interface CustomRef {
  /** Path of the module, relative to the project root. */
  file: string;
  /** Named export; undefined means the default export. */
  exportName?: string;
}

const REF = /^file:([^#]+)(?:#([A-Za-z_$][\w$]*))?$/;

/** Parses `file:checks.ts#name` (or `file:checks.ts` for the default export); undefined if malformed. */
export function parseCustomRef(ref: string): CustomRef | undefined {
  const match = REF.exec(ref);
  if (!match) return undefined;
  const file = (match[1] as string).trim();
  if (file === '') return undefined;
  return match[2] === undefined ? { file } : { file, exportName: match[2] };
}
