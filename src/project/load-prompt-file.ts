import { resolve } from 'node:path';
import type { ConfigErrorInfo } from '../core/errors.ts';
import { parsePrompt } from '../core/prompt/parse-prompt.ts';
import type { PromptSpec } from '../core/types.ts';
import { assertInsideProject } from './inside-project.ts';
import { projectPath } from './project-path.ts';
import { readTextFile } from './read-text-file.ts';

/** Reads and parses a `*.prompt.md` file; `file` is relative to `root` (or absolute). */
export async function loadPromptFile(
  file: string,
  root = process.cwd(),
  where: ConfigErrorInfo = {},
): Promise<PromptSpec> {
  const abs = resolve(root, file);
  const shown = projectPath(root, abs);
  assertInsideProject(root, abs, 'prompt file', file, where);
  return parsePrompt(await readTextFile(abs, shown, where, 'prompt file'), shown);
}
