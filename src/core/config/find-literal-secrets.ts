import type { FieldPath } from '../yaml-locate.ts';

/** A value in a config that looks like a credential written literally. */
export interface LiteralSecret {
  path: FieldPath;
  /** Why it looks like a secret (never the secret itself). */
  reason: string;
}

const SECRET_KEY = /^(api[-_]?key|apikey|secret|secret[-_]?key|token|access[-_]?token|password)$/i;
const KEY_SHAPES: RegExp[] = [
  /(?:^|[^A-Za-z0-9])sk-(?:ant-|proj-)?[A-Za-z0-9_-]{16,}/,
  /(?:^|[^A-Za-z0-9])AIza[0-9A-Za-z_-]{30,}/,
  /(?:^|[^A-Za-z0-9])(?:gsk|hf|xai)[_-][A-Za-z0-9]{20,}/,
];
const ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Finds credentials written into a config: a key named like `apiKey`/`token` holding a literal string, or
 * any string shaped like a vendor API key (`sk-…`, `AIza…`). `${ENV_VAR}` references are fine.
 */
export function findLiteralSecrets(value: unknown, path: FieldPath = []): LiteralSecret[] {
  const out: LiteralSecret[] = [];
  if (typeof value === 'string') {
    if (!ENV_REF.test(value) && KEY_SHAPES.some((re) => re.test(value)))
      out.push({ path, reason: 'looks like an API key' });
    return out;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push(...findLiteralSecrets(v, [...path, i]));
    });
    return out;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k) && typeof v === 'string' && v && !ENV_REF.test(v))
        out.push({ path: [...path, k], reason: `'${k}' holds a literal credential` });
      else out.push(...findLiteralSecrets(v, [...path, k]));
    }
  }
  return out;
}
