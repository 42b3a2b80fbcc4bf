import type { CheckDefinition } from './check-definition.ts';
import { metricTokens } from './metric-tokens.ts';
import { sentenceBleu } from './sentence-bleu.ts';

export const bleuCheck: CheckDefinition = {
  type: 'bleu',
  keys: ['value', 'values', 'threshold'],
  compile(spec) {
    const value = spec.optionalString('value', 'a reference string');
    const values = spec.optionalStrings('values');
    if (value !== undefined && values !== undefined) {
      spec.fail(
        'values',
        "both 'value' and 'values' given",
        "one of them: 'value' (one reference) or 'values' (several)",
      );
    }
    const own = values ?? (value === undefined ? undefined : [value]);
    const threshold = spec.number('threshold', { min: 0, max: 1 });
    return (output, testCase) => {
      let references = own;
      if (!references) {
        const expected = testCase.expected;
        if (typeof expected === 'string') references = [expected];
        else if (
          Array.isArray(expected) &&
          expected.length > 0 &&
          expected.every((e) => typeof e === 'string')
        )
          references = expected;
        else
          throw new Error(
            `bleu: no 'value'/'values' in the check and case '${testCase.id}' has no string (or list of strings) 'expected'`,
          );
      }
      const score = sentenceBleu(references.map(metricTokens), metricTokens(output.text));
      const pass = score >= threshold;
      return {
        pass,
        score,
        reason: `BLEU ${score.toFixed(3)} ${pass ? '≥' : '<'} ${threshold} (${references.length} reference${references.length === 1 ? '' : 's'})`,
      };
    };
  },
};
