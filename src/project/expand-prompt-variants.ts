import { readdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { LoadWarning } from '../core/config/project.ts';
import { closestMatch } from '../core/did-you-mean.ts';
import { ConfigError, ConfigErrors } from '../core/errors.ts';
import { expandVariants } from '../core/prompt/expand-variants.ts';
import { parseExamplePool } from '../core/prompt/parse-example-pool.ts';
import type { CaseSpec, PromptSpec } from '../core/types.ts';
import { assertInsideProject } from './inside-project.ts';
import { projectPath } from './project-path.ts';
import { readTextFile } from './read-text-file.ts';

export interface VariantSuite {
  file: string;
  cases: readonly CaseSpec[];
  /** Prompt names the suite applies to; absent = every prompt. */
  prompts?: readonly string[];
}

export interface PromptVariants {
  /** Derived prompts by base prompt name, in table order. */
  byBase: Map<string, PromptSpec[]>;
  warnings: LoadWarning[];
  errors: ConfigError[];
}

/**
 * Generates the technique variants (docs/techniques.md) of every prompt with `variants:`. A few-shot pool
 * path is relative to the prompt file; the leak guard compares the pool against the cases of every suite
 * the prompt runs on. Problems are returned as ConfigErrors (the loader reports them all at once).
 */
export async function expandPromptVariants(
  prompts: readonly PromptSpec[],
  suites: readonly VariantSuite[],
  root: string,
): Promise<PromptVariants> {
  const out: PromptVariants = { byBase: new Map(), warnings: [], errors: [] };
  for (const prompt of prompts) {
    const spec = prompt.variants;
    if (!spec) continue;
    try {
      let pool: { file: string; examples: ReturnType<typeof parseExamplePool> } | undefined;
      if (spec.fewShot) {
        const abs = resolve(root, dirname(prompt.file), spec.fewShot.pool);
        const file = projectPath(root, abs);
        assertInsideProject(root, abs, 'few-shot pool', spec.fewShot.pool, {
          file: prompt.file,
          line: spec.fewShot.line,
          field: 'variants.fewShot.pool',
        });
        const near = closestMatch(basename(abs), await readdir(dirname(abs)).catch(() => []));
        const text = await readTextFile(
          abs,
          file,
          {
            file: prompt.file,
            line: spec.fewShot.line,
            field: 'variants.fewShot.pool',
            expected: 'a YAML or JSON list of examples, path relative to the prompt file',
            ...(near && near !== basename(abs) ? { hint: `did you mean '${near}'?` } : {}),
          },
          'few-shot pool',
        );
        pool = { file, examples: parseExamplePool(text, file) };
      }
      const cases = suites
        .filter((s) => !s.prompts || s.prompts.includes(prompt.name))
        .flatMap((s) => s.cases.map((testCase) => ({ suiteFile: s.file, testCase })));
      const expansion = expandVariants(prompt, { ...(pool ? { pool } : {}), cases });
      out.byBase.set(prompt.name, expansion.prompts);
      out.warnings.push(...expansion.warnings);
    } catch (e) {
      if (e instanceof ConfigErrors) out.errors.push(...e.errors);
      else if (e instanceof ConfigError) out.errors.push(e);
      else throw e;
    }
  }
  return out;
}
