import { userInfo } from 'node:os';
import { basename, dirname, relative, resolve } from 'node:path';
import { annotationsFile } from '../../annotations/annotations-file.ts';
import { appendAnnotations } from '../../annotations/append-annotations.ts';
import { collectAnnotationItems } from '../../annotations/collect-annotation-items.ts';
import { importAnnotations } from '../../annotations/import-annotations.ts';
import { latestAnnotations } from '../../annotations/latest-annotations.ts';
import { mirrorAnnotationsFile } from '../../annotations/mirror-annotations-file.ts';
import { readAnnotations } from '../../annotations/read-annotations.ts';
import { type AnnotationScale, TerminalAnnotator } from '../../annotations/terminal-annotator.ts';
import { locateStore } from '../../app/locate-store.ts';
import { AssayError, ConfigError } from '../../core/errors.ts';
import { renderCase } from '../../core/prompt/render-case.ts';
import type { ChatMessage, ResultRecord } from '../../core/types.ts';
import { findConfigFile } from '../../project/find-config-file.ts';
import { loadProject } from '../../project/load-project.ts';
import { openStore } from '../../store/open-store.ts';

export interface AnnotateFlags {
  cwd: string;
  config?: string;
  store?: string;
  annotator?: string;
  scale: AnnotationScale;
  import?: string;
  file?: string;
  json?: boolean;
}

/** `assay annotate [RUN]`: judge a run's outputs in the terminal, or `--import` judgments from a file. */
export async function annotateCommand(run: string | undefined, flags: AnnotateFlags): Promise<number> {
  const root = await projectRoot(flags);
  const annotator = (flags.annotator ?? defaultAnnotator()).trim();
  if (annotator === '') throw new AssayError('--annotator: a name is needed', 2);
  if (flags.import !== undefined) return importCommand(root, run, annotator, flags);
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new AssayError(
      'assay annotate needs a terminal; to add judgments from a file use `assay annotate --import FILE`',
      2,
    );
  const store = await openStore({ path: await locateStore(flags) });
  let items: Awaited<ReturnType<typeof collectAnnotationItems>>;
  let suite: string;
  let runId: string;
  try {
    const found = await store.findRun(run ?? 'latest');
    if (!found) throw new AssayError(`no run '${run ?? 'latest'}'; see \`assay runs list\``, 2);
    runId = found.id;
    suite = found.manifest.suite.name;
    const inputFor = await caseRenderer(flags, suite);
    items = await collectAnnotationItems(store.iterateResults(found.id), inputFor);
  } finally {
    await store.close();
  }
  const file = flags.file !== undefined ? resolve(flags.cwd, flags.file) : annotationsFile(root, suite);
  const shownFile = relative(process.cwd(), file) || file;
  const done = new Set(
    latestAnnotations(readAnnotations(file, shownFile))
      .filter((a) => a.annotator === annotator)
      .map((a) => a.key),
  );
  if (items.length === 0) {
    process.stdout.write(`run ${runId} has no outputs to annotate\n`);
    return 0;
  }
  try {
    return await new Promise<number>((res, rej) => {
      const stdin = process.stdin;
      const finish = (text: string) => {
        stdin.setRawMode(false);
        stdin.pause();
        stdin.removeListener('data', onData);
        process.stdout.write(`\x1b[2J\x1b[H${text}\n`);
        res(0);
      };
      const annotatorSession = new TerminalAnnotator({
        items,
        done,
        annotator,
        scale: flags.scale,
        file,
        shownFile,
        write: (text) => process.stdout.write(text),
        onEnd: (s) => {
          const left = s.total - s.judged;
          finish(
            `${s.annotated} judged this session · ${s.judged}/${s.total} outputs of run ${runId} judged by ${annotator} · ${shownFile}` +
              (left > 0
                ? `\n${left} left: run \`assay annotate ${runId} --annotator ${annotator}\` to go on`
                : ''),
          );
        },
      });
      const onData = (chunk: Buffer) => {
        try {
          annotatorSession.feed(chunk.toString('utf8'));
        } catch (e) {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.removeListener('data', onData);
          rej(e);
        }
      };
      stdin.setRawMode(true);
      stdin.on('data', onData);
      stdin.resume();
      annotatorSession.start();
    });
  } finally {
    // Also after a failure mid-session: the judgments appended so far are in the file.
    await mirrorToStore(flags, suite, file, shownFile);
  }
}

async function importCommand(
  root: string,
  run: string | undefined,
  annotator: string,
  flags: AnnotateFlags,
): Promise<number> {
  const source = resolve(flags.cwd, flags.import as string);
  // The suite the store files the records under: the run's, else the file's name.
  let suite: string | undefined;
  if (run !== undefined) {
    const store = await openStore({ path: await locateStore(flags) });
    try {
      const found = await store.findRun(run);
      if (!found) throw new AssayError(`no run '${run}'; see \`assay runs list\``, 2);
      suite = found.manifest.suite.name;
    } finally {
      await store.close();
    }
  }
  const file =
    flags.file !== undefined ? resolve(flags.cwd, flags.file) : annotationsFile(root, suite ?? 'imported');
  suite ??= basename(file).replace(/\.jsonl$/i, '') || 'imported';
  const annotations = importAnnotations(source, {
    annotator: flags.annotator !== undefined ? annotator : undefined,
    shown: relative(process.cwd(), source) || source,
  });
  // Validate the target first: appending to a malformed file would bury the problem.
  readAnnotations(file, relative(process.cwd(), file) || file);
  appendAnnotations(file, annotations);
  const shownFile = relative(process.cwd(), file) || file;
  const mirrored = await mirrorToStore(flags, suite, file, shownFile);
  if (flags.json)
    process.stdout.write(`${JSON.stringify({ imported: annotations.length, file: shownFile, mirrored })}\n`);
  else
    process.stdout.write(
      `imported ${annotations.length} annotations into ${shownFile}` +
        (mirrored !== null ? ` (${mirrored} new in the run store)` : '') +
        '\n',
    );
  return 0;
}

/**
 * Mirrors the whole annotations file into the project's store; the records new to the store, or null
 * (with a warning on stderr) when the store could not take them — the file has them either way.
 */
async function mirrorToStore(
  flags: AnnotateFlags,
  suite: string,
  file: string,
  shownFile: string,
): Promise<number | null> {
  const outcome = await mirrorAnnotationsFile({
    file,
    shown: shownFile,
    suite,
    openStore: async () => openStore({ path: await locateStore(flags) }),
  });
  if (outcome.ok) return outcome.mirrored;
  process.stderr.write(
    `warning: the annotations are saved in ${shownFile} but were not mirrored to the run store: ${outcome.error}\n` +
      '  the file is the record; the next `assay annotate` or `--import` into it mirrors every line\n',
  );
  return null;
}

async function projectRoot(flags: AnnotateFlags): Promise<string> {
  try {
    return dirname(await findConfigFile(flags.cwd, flags.config));
  } catch (e) {
    if (e instanceof ConfigError && flags.config === undefined) return resolve(flags.cwd);
    throw e;
  }
}

/** The rendered messages of a result's case, when the project still loads and holds that prompt version. */
async function caseRenderer(
  flags: AnnotateFlags,
  suiteName: string,
): Promise<(r: ResultRecord) => ChatMessage[] | undefined> {
  try {
    const project = await loadProject({ cwd: flags.cwd, configPath: flags.config });
    const suite = project.suites.find((s) => s.name === suiteName);
    return (r) => {
      const prompt = project.prompts.find((p) => p.name === r.prompt && p.version === r.promptVersion);
      const testCase = suite?.cases.find((c) => c.id === r.caseId);
      if (!prompt || !testCase) return undefined;
      try {
        return renderCase(prompt, testCase);
      } catch {
        return undefined;
      }
    };
  } catch {
    return () => undefined; // the project does not load now: outputs are shown without their input
  }
}

function defaultAnnotator(): string {
  try {
    return process.env.ASSAY_ANNOTATOR ?? userInfo().username;
  } catch {
    return '';
  }
}
