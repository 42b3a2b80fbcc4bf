import type { CheckDefinition } from './check-definition.ts';

export const latencyCheck: CheckDefinition = {
  type: 'latency',
  keys: ['max'],
  compile(spec) {
    const max = spec.number('max', { min: 0 });
    return (output) => {
      const pass = output.latencyMs <= max;
      return { pass, reason: `${Math.round(output.latencyMs)} ms ${pass ? '≤' : '>'} ${max} ms` };
    };
  },
};
