import type { VariableType } from '../types.ts';

export const VARIABLE_TYPES: readonly VariableType[] = ['string', 'number', 'boolean', 'object', 'array'];

/** `a string`, `a number`, … */
export function describeVariableType(type: VariableType): string {
  return type === 'array' ? 'an array (a list)' : type === 'object' ? 'an object (a mapping)' : `a ${type}`;
}

/** Whether `value` already has the declared type. */
export function hasVariableType(value: unknown, type: VariableType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

/**
 * The value as the declared type: values already of that type pass; strings (CSV cells) are parsed for
 * number (`3.5`), boolean (`true`/`false`), object and array (JSON). `undefined` when it does not fit.
 */
export function coerceVariable(value: unknown, type: VariableType): { value: unknown } | undefined {
  if (hasVariableType(value, type)) return { value };
  if (typeof value !== 'string' || type === 'string') return undefined;
  const text = value.trim();
  if (type === 'number') {
    if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
    return { value: Number(text) };
  }
  if (type === 'boolean') {
    const lower = text.toLowerCase();
    return lower === 'true' ? { value: true } : lower === 'false' ? { value: false } : undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return hasVariableType(parsed, type) ? { value: parsed } : undefined;
  } catch {
    return undefined;
  }
}
