/**
 * The names an ES module exports, read from its text without running it, so that a `file:` target
 * naming a missing export is a config error before any case runs while the module itself is imported
 * only at the first call. ESM exports are static syntax, so this is exact for ordinary modules;
 * `undefined` when it cannot tell (`export * from`, destructured declarations, CommonJS, no exports),
 * and then the import decides.
 */
export function staticExports(source: string): Set<string> | undefined {
  const code = stripCommentsAndStrings(source);
  if (!/\bexport\b/.test(code)) return undefined;
  if (/\bexport\s*\*\s*from\b/.test(code) || /\bmodule\.exports\b|\bexports\.[\w$]+\s*=/.test(code))
    return undefined;
  if (/\bexport\s+(?:declare\s+)?(?:const|let|var)\s*[{[]/.test(code)) return undefined;
  const names = new Set<string>();
  const ident = '([A-Za-z_$][\\w$]*)';
  const patterns = [
    new RegExp(`\\bexport\\s+(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${ident}`, 'g'),
    new RegExp(`\\bexport\\s+(?:declare\\s+)?(?:abstract\\s+)?class\\s+${ident}`, 'g'),
    new RegExp(`\\bexport\\s+(?:declare\\s+)?(?:const|let|var|enum|namespace)\\s+${ident}`, 'g'),
    new RegExp(`\\bexport\\s*\\*\\s*as\\s+${ident}`, 'g'),
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) names.add(m[1] as string);
  // `export const a = 1, b = 2`: every declarator at the top nesting level of the statement.
  for (const m of code.matchAll(/\bexport\s+(?:declare\s+)?(?:const|let|var)\s+([^;]*)/g))
    for (const name of topLevelDeclarators(m[1] as string)) names.add(name);
  if (/\bexport\s+default\b/.test(code)) names.add('default');
  for (const m of code.matchAll(/\bexport\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of (m[1] as string).split(',')) {
      const spec = part.trim();
      if (spec === '' || /^type\s/.test(spec)) continue;
      const as = /\bas\s+([\w$]+)$/.exec(spec);
      names.add(as ? (as[1] as string) : (spec.split(/\s+/)[0] as string));
    }
  }
  return names;
}

/** Names declared in `a = f(1, 2), b = 3` (commas inside brackets do not separate declarators). */
function topLevelDeclarators(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  const take = (end: number) => {
    const name = /^\s*([A-Za-z_$][\w$]*)/.exec(list.slice(start, end))?.[1];
    if (name) out.push(name);
  };
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      take(i);
      start = i + 1;
    }
  }
  take(list.length);
  return out;
}

/** Blanks out comments and the contents of string and template literals (their quotes stay). */
function stripCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const next = source[i + 1];
    if (ch === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? source.length : end + 2;
      out += ' ';
    } else if (ch === '"' || ch === "'" || ch === '`') {
      i++;
      while (i < source.length && source[i] !== ch) i += source[i] === '\\' ? 2 : 1;
      i++;
      out += `${ch}${ch}`;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
