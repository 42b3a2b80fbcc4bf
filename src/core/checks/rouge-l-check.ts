import type { CheckDefinition } from './check-definition.ts';
import { expectedText } from './expected-text.ts';
import { metricTokens } from './metric-tokens.ts';
import { rougeL } from './rouge-l.ts';

export const rougeLCheck: CheckDefinition = {
  type: 'rouge-l',
  keys: ['value', 'threshold'],
  compile(spec) {
    const value = spec.optionalString('value', 'a string (defaults to the case expected)');
    const threshold = spec.number('threshold', { min: 0, max: 1 });
    return (output, testCase) => {
      const reference = expectedText('rouge-l', value, testCase);
      const s = rougeL(metricTokens(output.text), metricTokens(reference));
      const pass = s.fmeasure >= threshold;
      return {
        pass,
        score: s.fmeasure,
        reason: `ROUGE-L F ${s.fmeasure.toFixed(3)} ${pass ? '≥' : '<'} ${threshold}`,
        details: { precision: s.precision, recall: s.recall },
      };
    };
  },
};
