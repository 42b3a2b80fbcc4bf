import type { CheckDefinition } from './check-definition.ts';
import { findPii, PII_KINDS, type PiiKind } from './find-pii.ts';

export const noPiiCheck: CheckDefinition = {
  type: 'no-pii',
  keys: ['kinds'],
  compile(spec) {
    const kinds = (spec.optionalStrings('kinds') ?? [...PII_KINDS]) as PiiKind[];
    kinds.forEach((kind, i) => {
      if (!PII_KINDS.includes(kind)) {
        const field = Array.isArray(spec.get('kinds')) ? `kinds[${i}]` : 'kinds';
        spec.fail(field, `unknown PII kind '${kind}'`, `one of: ${PII_KINDS.join(', ')}`);
      }
    });
    return (output) => {
      const found = findPii(output.text, kinds);
      if (found.length === 0) return { pass: true, reason: `no PII found (${kinds.join(', ')})` };
      // Masked values only: reports and stores must not receive the personal data itself.
      const shown = found.slice(0, 5).map((f) => `${f.kind} ${f.masked}`);
      const more = found.length > 5 ? ` (+${found.length - 5} more)` : '';
      return {
        pass: false,
        reason: `found PII: ${shown.join(', ')}${more}`,
        details: { found: found.map((f) => ({ kind: f.kind, masked: f.masked })) },
      };
    };
  },
};
