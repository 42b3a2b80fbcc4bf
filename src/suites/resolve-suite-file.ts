import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Project } from '../core/config/project.ts';
import { closestMatch } from '../core/did-you-mean.ts';
import { AssayError } from '../core/errors.ts';
import type { ParsedSuite } from '../core/suite/build-suite.ts';
import { parseSuite } from '../core/suite/parse-suite.ts';
import { loadProject } from '../project/load-project.ts';
import { readTextFile } from '../project/read-text-file.ts';

export interface SuiteFileRef {
  /** Absolute path. */
  abs: string;
  /** As shown to the user (relative to the working folder). */
  shown: string;
  /** The project, when the suite was named rather than given as a file, or `withProject` was asked. */
  project?: Project;
  /** The project's suite (config default checks merged, the configured name). */
  projectSuite?: Project['suites'][number];
}

/**
 * The suite a command names: a file path (relative to `cwd`), else the name of a suite of the project in
 * `cwd`. `withProject` loads the project in both cases (and requires the file to be one of its suites).
 */
export async function resolveSuiteFile(
  suite: string,
  o: { cwd: string; config?: string; withProject?: boolean },
): Promise<SuiteFileRef> {
  const asFile = resolve(o.cwd, suite);
  const isFile = statSync(asFile, { throwIfNoEntry: false })?.isFile() ?? false;
  const shownOf = (abs: string) => relative(process.cwd(), abs) || abs;
  if (isFile && !o.withProject) return { abs: asFile, shown: shownOf(asFile) };
  let project: Project;
  try {
    project = await loadProject({ cwd: o.cwd, configPath: o.config });
  } catch (e) {
    if (!isFile && e instanceof AssayError && /no assay\.yaml found/.test(e.message))
      throw new AssayError(
        `no suite file '${suite}' in ${o.cwd}, and no project to look up a suite of that name; give the path of a .yaml, .jsonl or .csv suite`,
        2,
      );
    throw e;
  }
  const found = isFile
    ? project.suites.find((s) => resolve(project.root, s.file) === asFile)
    : project.suites.find((s) => s.name === suite);
  if (!found) {
    const names = project.suites.map((s) => s.name);
    const near = closestMatch(suite, names);
    throw new AssayError(
      isFile
        ? `${shownOf(asFile)} is not a suite of the project (${project.configFile}); add it to suites: first`
        : `no suite file or suite named '${suite}'; the project's suites: ${names.join(', ') || '(none)'}${near ? `. Did you mean '${near}'?` : ''}`,
      2,
    );
  }
  const abs = resolve(project.root, found.file);
  return { abs, shown: shownOf(abs), project, projectSuite: found };
}

/** Reads and parses a suite file (no schema files resolved: commands here only read and edit cases). */
export async function readSuiteFile(ref: SuiteFileRef): Promise<{ text: string; parsed: ParsedSuite }> {
  const text = await readTextFile(ref.abs, ref.shown, {}, 'suite file');
  return { text, parsed: parseSuite(text, ref.shown) };
}
