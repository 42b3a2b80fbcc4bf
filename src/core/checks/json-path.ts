/** One step of a JSON path: an object key or an array index (negative counts from the end). */
export type JsonPathSegment = { key: string } | { index: number };

export type JsonPathParse = { ok: true; segments: JsonPathSegment[] } | { ok: false; error: string };

export type JsonPathLookup = { found: true; value: unknown } | { found: false; missingAt: string };

const IDENT = /^[A-Za-z_$][\w$-]*/;
const IDENT_ONLY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Parses the small, safe subset of JSONPath Assay supports: `$`, `.key`, `['key']` / `["key"]` and
 * `[n]`. No wildcards, filters or scripts: a path names exactly one value or nothing.
 */
export function parseJsonPath(path: string): JsonPathParse {
  if (!path.startsWith('$')) return { ok: false, error: "must start with '$'" };
  const segments: JsonPathSegment[] = [];
  let i = 1;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      const ident = IDENT.exec(path.slice(i + 1));
      if (!ident) return { ok: false, error: `expected a key name after '.' at position ${i}` };
      segments.push({ key: ident[0] });
      i += 1 + ident[0].length;
    } else if (ch === '[') {
      const rest = path.slice(i + 1);
      const index = /^(-?\d+)\]/.exec(rest);
      if (index) {
        segments.push({ index: Number(index[1]) });
        i += 1 + index[0].length;
        continue;
      }
      const quote = rest[0];
      if (quote !== "'" && quote !== '"')
        return { ok: false, error: `expected a number or quoted key at position ${i + 1}` };
      let key = '';
      let j = 1;
      for (; j < rest.length && rest[j] !== quote; j++) {
        if (rest[j] === '\\' && j + 1 < rest.length) j++;
        key += rest[j];
      }
      if (rest[j] !== quote || rest[j + 1] !== ']')
        return { ok: false, error: `unterminated [${quote}…] at position ${i}` };
      segments.push({ key });
      i += 1 + j + 2;
    } else {
      return { ok: false, error: `unexpected '${ch}' at position ${i}` };
    }
  }
  return { ok: true, segments };
}

function formatSegment(segment: JsonPathSegment): string {
  if ('index' in segment) return `[${segment.index}]`;
  return IDENT_ONLY.test(segment.key) ? `.${segment.key}` : `['${segment.key}']`;
}

/** Looks a parsed path up in a JSON value; own properties only, so `__proto__` never resolves. */
export function lookupJsonPath(value: unknown, segments: readonly JsonPathSegment[]): JsonPathLookup {
  let current = value;
  let at = '$';
  for (const segment of segments) {
    at += formatSegment(segment);
    if ('index' in segment) {
      if (!Array.isArray(current)) return { found: false, missingAt: at };
      const i = segment.index < 0 ? current.length + segment.index : segment.index;
      if (i < 0 || i >= current.length) return { found: false, missingAt: at };
      current = current[i];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current))
        return { found: false, missingAt: at };
      if (!Object.hasOwn(current, segment.key)) return { found: false, missingAt: at };
      current = (current as Record<string, unknown>)[segment.key];
    }
  }
  return { found: true, value: current };
}
