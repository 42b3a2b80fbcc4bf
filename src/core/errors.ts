/**
 * Errors a user can act on. Anything thrown as an AssayError is printed as one message (never a stack
 * trace) and mapped to its exit code; anything else is a bug.
 */
export class AssayError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'AssayError';
    this.exitCode = exitCode;
  }
}

export interface ConfigErrorInfo {
  /** File the problem is in (relative to the project root when possible). */
  file?: string;
  /** 1-based line and column, when known. */
  line?: number;
  column?: number;
  /** Path to the offending field, e.g. `cases[3].checks[0].value` or `variables.customer`. */
  field?: string;
  /** What was expected, in words: "a string", "one of: dev, test". */
  expected?: string;
  /** How to fix it, e.g. "did you mean 'checks'?". */
  hint?: string;
}

/** Bad input: config, prompt, suite or check. Exit code 2. */
export class ConfigError extends AssayError {
  readonly info: ConfigErrorInfo;
  readonly problem: string;
  constructor(problem: string, info: ConfigErrorInfo = {}) {
    super(formatConfigError(problem, info), 2);
    this.name = 'ConfigError';
    this.problem = problem;
    this.info = info;
  }
}

/** `file:line:col: field: problem; expected X. hint` — one line a person can act on. */
export function formatConfigError(problem: string, info: ConfigErrorInfo): string {
  let where = info.file ?? '';
  if (where && info.line !== undefined)
    where += `:${info.line}${info.column !== undefined ? `:${info.column}` : ''}`;
  const parts: string[] = [];
  if (where) parts.push(`${where}:`);
  if (info.field) parts.push(`${info.field}:`);
  parts.push(problem);
  let msg = parts.join(' ');
  if (info.expected) msg += `; expected ${info.expected}`;
  if (info.hint) msg += `. ${info.hint}`;
  return msg;
}

/** Several config errors found together; reported all at once, exit 2. */
export class ConfigErrors extends AssayError {
  readonly errors: ConfigError[];
  constructor(errors: ConfigError[]) {
    super(errors.map((e) => e.message).join('\n'), 2);
    this.name = 'ConfigErrors';
    this.errors = errors;
  }
}
