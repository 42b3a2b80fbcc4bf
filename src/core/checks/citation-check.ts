import type { CheckDefinition } from './check-definition.ts';
import { findCitations } from './find-citations.ts';

export const citationCheck: CheckDefinition = {
  type: 'contains-citation',
  keys: ['ids', 'min'],
  compile(spec) {
    const ids = spec.optionalStrings('ids');
    const min = spec.optionalNumber('min', { min: 0, integer: true }) ?? 1;
    return (output, testCase) => {
      const cited = findCitations(output.text);
      const context = testCase.context;
      const resolved: string[] = [];
      const unknown: string[] = [];
      for (const id of cited) {
        if (!context) {
          resolved.push(id);
          continue;
        }
        // An exact document id wins; otherwise [n] means the n-th context document (1-based).
        const byId = context.find((doc) => doc.id === id);
        const n = /^\d+$/.test(id) ? Number(id) : 0;
        const doc = byId ?? (n >= 1 && n <= context.length ? context[n - 1] : undefined);
        if (!doc) unknown.push(id);
        else if (!resolved.includes(doc.id)) resolved.push(doc.id);
      }
      const missing = (ids ?? []).filter((id) => !resolved.includes(id));
      const problems: string[] = [];
      if (unknown.length > 0) problems.push(`cites unknown ${unknown.map((id) => `[${id}]`).join(', ')}`);
      if (missing.length > 0) problems.push(`does not cite ${missing.map((id) => `[${id}]`).join(', ')}`);
      if (resolved.length < min)
        problems.push(
          `${resolved.length} cited document${resolved.length === 1 ? '' : 's'}, expected ≥ ${min}`,
        );
      const details = { cited: resolved, unknown };
      if (problems.length > 0) return { pass: false, reason: problems.join('; '), details };
      return {
        pass: true,
        reason: `cites ${resolved.map((id) => `[${id}]`).join(', ') || 'nothing (min 0)'}`,
        details,
      };
    };
  },
};
