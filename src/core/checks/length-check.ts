import type { CheckDefinition } from './check-definition.ts';
import { loadTokenCounter } from './load-token-counter.ts';

export const lengthCheck: CheckDefinition = {
  type: 'length',
  keys: ['unit', 'min', 'max'],
  compile(spec) {
    const unit = spec.oneOf('unit', ['chars', 'words', 'tokens'] as const, 'chars');
    const min = spec.optionalNumber('min', { min: 0, integer: true });
    const max = spec.optionalNumber('max', { min: 0, integer: true });
    if (min === undefined && max === undefined)
      spec.fail('max', `missing for check 'length'`, "'min', 'max' or both: integers ≥ 0");
    if (min !== undefined && max !== undefined && min > max)
      spec.fail('min', `min (${min}) is greater than max (${max})`, 'min ≤ max');
    let counter: Promise<(text: string) => number> | undefined;
    if (unit === 'tokens') {
      counter = loadTokenCounter();
      counter.catch(() => {}); // reported when the check runs
    }
    return async (output) => {
      const text = output.text;
      let count: number;
      if (unit === 'chars') count = [...text].length;
      else if (unit === 'words') count = text.split(/\s+/).filter(Boolean).length;
      else count = (await (counter as Promise<(text: string) => number>))(text);
      const range =
        min !== undefined && max !== undefined
          ? `${min}–${max}`
          : min !== undefined
            ? `≥ ${min}`
            : `≤ ${max}`;
      const pass = (min === undefined || count >= min) && (max === undefined || count <= max);
      return {
        pass,
        reason: `${count} ${unit}${pass ? '' : `, expected ${range}`}`,
        details: { count, unit },
      };
    };
  },
};
