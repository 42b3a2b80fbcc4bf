import type { CheckDefinition } from './check-definition.ts';

const usd = (n: number) => `$${n < 0.01 ? n.toPrecision(2) : n.toFixed(4)}`;

export const costCheck: CheckDefinition = {
  type: 'cost',
  keys: ['max'],
  compile(spec) {
    const max = spec.number('max', { min: 0 });
    return (output) => {
      if (output.cost === null) return { pass: false, reason: 'cost unknown' };
      const pass = output.cost <= max;
      return { pass, reason: `${usd(output.cost)} ${pass ? '≤' : '>'} ${usd(max)}` };
    };
  },
};
