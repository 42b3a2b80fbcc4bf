import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseCustomRef } from '../core/checks/parse-custom-ref.ts';
import { closestMatch } from '../core/did-you-mean.ts';
import { ConfigError, type ConfigErrorInfo } from '../core/errors.ts';
import type { SuiteLocations } from '../core/suite/build-suite.ts';
import type { PromptSpec, Suite } from '../core/types.ts';
import { projectPath } from '../project/project-path.ts';
import { bindEnvironment, type EnvironmentFactory } from './tool-environment.ts';

export interface AgentSuite {
  suite: Suite;
  locations: SuiteLocations;
  /** The prompts the suite runs with: fixture and failFirst tool names must be declared by one of them. */
  prompts: PromptSpec[];
}

const REF_EXPECTED = "'file:<path>#<export>', e.g. 'file:tools/refund.ts#createEnvironment'";

/**
 * Imports every agent environment (`tools: file:…#fn`) the suites name, once per reference, binds it to
 * each case that uses it, and checks that fixture and failFirst tables name tools the prompts declare.
 * Returns the problems as located ConfigErrors (none: every agent case is ready to run).
 */
export async function loadAgentEnvironments(root: string, suites: AgentSuite[]): Promise<ConfigError[]> {
  const errors: ConfigError[] = [];
  const loaded = new Map<string, EnvironmentFactory | null>();
  for (const { suite, locations, prompts } of suites) {
    const declared = new Set(prompts.flatMap((p) => (p.tools ?? []).map((t) => t.name)));
    const reported = new Set<string>();
    for (const c of suite.cases) {
      const spec = c.agent;
      if (!spec) continue;
      const at = locations.cases.get(c.id);
      const where = (key: string): ConfigErrorInfo => ({
        file: suite.file,
        line: at?.line,
        field: `${at?.field ? `${at.field}.` : ''}agent.${key}`,
      });
      for (const [key, table] of [
        ['fixtures', spec.fixtures],
        ['failFirst', spec.failFirst],
      ] as const) {
        for (const name of Object.keys(table ?? {})) {
          if (declared.has(name) || reported.has(`${key}:${name}`)) continue;
          reported.add(`${key}:${name}`);
          const near = closestMatch(name, [...declared]);
          errors.push(
            new ConfigError(`tool '${name}' is not declared by any prompt of suite '${suite.name}'`, {
              ...where(key === 'fixtures' ? 'tools' : key),
              expected: `one of the prompts' tools: ${[...declared].join(', ') || '(none declared)'}`,
              hint: near
                ? `did you mean '${near}'?`
                : "declare it under 'tools:' in the prompt's front matter (suite defaults.agent or the case)",
            }),
          );
        }
      }
      const ref = spec.environment;
      if (ref === undefined) continue;
      if (!loaded.has(ref)) {
        try {
          loaded.set(ref, await importEnvironment(ref, root, where('tools')));
        } catch (e) {
          loaded.set(ref, null);
          if (e instanceof ConfigError) errors.push(e);
          else throw e;
        }
      }
      const factory = loaded.get(ref);
      if (factory) bindEnvironment(spec, factory);
    }
  }
  return errors;
}

async function importEnvironment(
  ref: string,
  root: string,
  where: ConfigErrorInfo,
): Promise<EnvironmentFactory> {
  const fail = (problem: string, expected: string): never => {
    throw new ConfigError(problem, { ...where, expected, hint: '(set in the case or in defaults.agent)' });
  };
  const parsed = parseCustomRef(ref) ?? fail(`invalid agent environment reference '${ref}'`, REF_EXPECTED);
  const abs = resolve(root, parsed.file);
  const shown = projectPath(root, abs);
  const outside = (): never =>
    fail(
      `agent environment '${parsed.file}' is outside the project (from '${ref}')`,
      'a file inside the project',
    );
  if (!isInside(resolve(root), abs)) outside();
  const isFile = await stat(abs).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile)
    fail(
      `agent environment file '${shown}' not found (from '${ref}')`,
      'a TypeScript or JavaScript module in the project',
    );
  // A symlink inside the project to a file outside it is outside too.
  if (!isInside(await realpath(root), await realpath(abs))) outside();
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (error) {
    return fail(
      `cannot import agent environment '${shown}': ${(error as Error).message}`,
      'a module that imports without errors',
    );
  }
  const name = parsed.exportName ?? 'default';
  const fn = Object.hasOwn(module, name) ? module[name] : undefined;
  if (typeof fn !== 'function') {
    const names = Object.keys(module).filter((k) => typeof module[k] === 'function');
    fail(
      fn === undefined
        ? `'${shown}' has no export '${name}' (from '${ref}')`
        : `export '${name}' of '${shown}' is not a function`,
      names.length > 0
        ? `a function (testCase) => { tools, state? }; its function exports: ${names.join(', ')}`
        : 'an exported function (testCase) => { tools, state? }',
    );
  }
  return fn as EnvironmentFactory;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}
