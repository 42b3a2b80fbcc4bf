import { ConfigError } from '../errors.ts';
import type { CheckCompileEnv } from './compile-check.ts';

interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
}

function describeNumber(rule: NumberRule): string {
  const noun = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `${noun} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${noun} ≥ ${rule.min}`;
  if (rule.max !== undefined) return `${noun} ≤ ${rule.max}`;
  return noun;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Typed access to one check spec. Every accessor validates and, on bad input, throws a ConfigError that
 * carries the spec's location with the field extended by the key (`cases[2].checks[0].pattern`).
 */
export class SpecReader {
  readonly spec: Record<string, unknown>;
  readonly env: CheckCompileEnv;
  readonly type: string;

  constructor(spec: Record<string, unknown>, env: CheckCompileEnv, type: string) {
    this.spec = spec;
    this.env = env;
    this.type = type;
  }

  /** Path of the spec, or of one of its keys. */
  field(key?: string): string | undefined {
    const base = this.env.where.field;
    if (key === undefined) return base;
    return base ? `${base}.${key}` : key;
  }

  fail(key: string | undefined, problem: string, expected?: string, hint?: string): never {
    const info = { ...this.env.where, field: this.field(key) };
    if (expected !== undefined) info.expected = expected;
    if (hint !== undefined) info.hint = hint;
    throw new ConfigError(problem, info);
  }

  has(key: string): boolean {
    return Object.hasOwn(this.spec, key) && this.spec[key] !== undefined;
  }

  get(key: string): unknown {
    return Object.hasOwn(this.spec, key) ? this.spec[key] : undefined;
  }

  private invalid(key: string, expected: string, hint?: string): never {
    return this.fail(key, `invalid value ${show(this.get(key))}`, expected, hint);
  }

  private missing(key: string, expected: string): never {
    return this.fail(key, `missing for check '${this.type}'`, expected);
  }

  /** A required non-empty string. */
  string(key: string, expected = 'a non-empty string'): string {
    if (!this.has(key)) this.missing(key, expected);
    return this.optionalString(key, expected) as string;
  }

  optionalString(key: string, expected = 'a non-empty string'): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key);
    if (typeof value !== 'string' || value === '') {
      const hint =
        typeof value === 'number' || typeof value === 'boolean' ? `quote it: '${value}'` : undefined;
      this.invalid(key, expected, hint);
    }
    return value;
  }

  /** A non-empty string or a non-empty list of them, always returned as a list. */
  optionalStrings(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key);
    const list = Array.isArray(value) ? value : [value];
    const expected = 'a non-empty string or a list of non-empty strings';
    if (list.length === 0) this.fail(key, 'empty list', expected);
    list.forEach((item, i) => {
      if (typeof item !== 'string' || item === '') {
        this.fail(Array.isArray(value) ? `${key}[${i}]` : key, `invalid value ${show(item)}`, expected);
      }
    });
    return list as string[];
  }

  strings(key: string): string[] {
    if (!this.has(key)) this.missing(key, 'a non-empty string or a list of non-empty strings');
    return this.optionalStrings(key) as string[];
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const value = this.get(key);
    if (typeof value !== 'boolean') this.invalid(key, 'true or false');
    return value;
  }

  number(key: string, rule: NumberRule = {}): number {
    if (!this.has(key)) this.missing(key, describeNumber(rule));
    return this.optionalNumber(key, rule) as number;
  }

  optionalNumber(key: string, rule: NumberRule = {}): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key);
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (!rule.integer || Number.isInteger(value)) &&
      (rule.min === undefined || value >= rule.min) &&
      (rule.max === undefined || value <= rule.max);
    if (!ok) this.invalid(key, describeNumber(rule));
    return value as number;
  }

  oneOf<T extends string>(key: string, values: readonly T[], fallback: T): T {
    if (!this.has(key)) return fallback;
    const value = this.get(key);
    if (typeof value !== 'string' || !values.includes(value as T)) {
      this.invalid(key, `one of: ${values.join(', ')}`);
    }
    return value as T;
  }

  /** A plain object (not a list), or undefined when absent. */
  optionalObject(key: string, expected: string): Record<string, unknown> | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.invalid(key, expected);
    return value as Record<string, unknown>;
  }

  /** A required non-empty list (of anything; items are validated by the caller). */
  list(key: string, expected: string): unknown[] {
    if (!this.has(key)) this.missing(key, expected);
    const value = this.get(key);
    if (!Array.isArray(value)) this.invalid(key, expected);
    if (value.length === 0) this.fail(key, 'empty list', expected);
    return value;
  }
}
