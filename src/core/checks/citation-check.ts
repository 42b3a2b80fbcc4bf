import type { CheckDefinition } from './check-definition.ts';
import { findCitations, resolveCitations, showIds } from './find-citations.ts';

export const citationCheck: CheckDefinition = {
  type: 'contains-citation',
  keys: ['ids', 'min'],
  compile(spec) {
    const ids = spec.optionalStrings('ids');
    const min = spec.optionalNumber('min', { min: 0, integer: true }) ?? 1;
    return (output, testCase) => {
      const { cited: resolved, unknown } = resolveCitations(findCitations(output.text), testCase.context);
      const missing = (ids ?? []).filter((id) => !resolved.includes(id));
      const problems: string[] = [];
      if (unknown.length > 0) problems.push(`cites unknown ${showIds(unknown)}`);
      if (missing.length > 0) problems.push(`does not cite ${showIds(missing)}`);
      if (resolved.length < min)
        problems.push(
          `${resolved.length} cited document${resolved.length === 1 ? '' : 's'}, expected ≥ ${min}`,
        );
      const details = { cited: resolved, unknown };
      if (problems.length > 0) return { pass: false, reason: problems.join('; '), details };
      return {
        pass: true,
        reason: `cites ${showIds(resolved) || 'nothing (min 0)'}`,
        details,
      };
    };
  },
};
