import { join } from 'node:path';

/**
 * Where a suite's annotations live in the user's repository: `annotations/<suite>.jsonl` under the
 * project root (the suite name with anything but letters, digits, `.`, `_` and `-` replaced by `-`).
 * One file per suite, not per run: the same output judged in a later run keeps its judgment.
 */
export function annotationsFile(root: string, suite: string): string {
  const name = suite.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'annotations';
  return join(root, 'annotations', `${name}.jsonl`);
}
