import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { buildEvalReport } from '../app/build-eval-report.ts';
import { compareRunFamily } from '../app/compare-runs.ts';
import { locateStore } from '../app/locate-store.ts';
import { projectRoot, resolveRunRef } from '../app/resolve-run-ref.ts';
import { runSuiteExpected } from '../app/suite-expected.ts';
import type { Comparison } from '../core/compare/comparison.ts';
import type { Project } from '../core/config/project.ts';
import { AssayError } from '../core/errors.ts';
import { readValidationRecord } from '../judges/corrected-pass-rate.ts';
import { judgeStatus } from '../judges/judge-status.ts';
import { suiteJudges } from '../judges/suite-judges.ts';
import { loadProject } from '../project/load-project.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { AtomicTextFile } from './atomic-text-file.ts';
import { type CaseCaps, ReportCollector } from './collect-report-data.ts';
import { renderHtmlReport } from './render-html-report.ts';
import { renderMarkdownReport } from './render-markdown-report.ts';
import type { ReportData } from './report-data.ts';

export type ReportFormat = 'html' | 'md';

export interface WriteReportOptions {
  /** Project folder (default: process cwd): where the store and the suite are found. */
  cwd?: string;
  config?: string;
  /** An open store (left open) or a SQLite file path, as `--store`. */
  store?: string | Store;
  /** The run to report: id, unique prefix, latest, latest~N, NAME@LABEL / NAME@VERSION. */
  run: string;
  /** The baseline to compare this run with (same references). */
  compare?: string;
  /** `.html` or `.md`. */
  output: string;
  /** Seed of the comparison's resampling (default 0, as `assay compare`). */
  seed?: number;
  assayVersion: string;
  caps?: Partial<CaseCaps>;
}

export interface WriteReportResult {
  file: string;
  resultsFile: string;
  format: ReportFormat;
  runId: string;
  baselineRunId?: string;
  results: number;
  embedded: number;
  bytes: number;
}

/** The report format `file` asks for, or a usage error (exit 2) naming the choices. */
export function reportFormatFor(file: string): ReportFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.md' || ext === '.markdown') return 'md';
  throw new AssayError(
    `cannot tell the report format of '${file}' from its extension; use -o FILE.html (self-contained page) or -o FILE.md (Markdown)`,
    2,
  );
}

/** `report.html` → `report.results.jsonl` (beside it). */
export function resultsFileFor(file: string): string {
  const ext = extname(file);
  return `${ext ? file.slice(0, -ext.length) : file}.results.jsonl`;
}

/** Checks, before reading the store, that the report can be written where asked. */
export function checkReportTarget(file: string): ReportFormat {
  const format = reportFormatFor(file);
  const dir = dirname(resolve(file));
  if (!existsSync(dir))
    throw new AssayError(`cannot write ${file}: folder ${dirname(file)} does not exist`, 2);
  if (!statSync(dir).isDirectory())
    throw new AssayError(`cannot write ${file}: ${dirname(file)} is not a folder`, 2);
  if (existsSync(file) && statSync(file).isDirectory())
    throw new AssayError(`cannot write ${file}: it is a folder; give a file name`, 2);
  return format;
}

/**
 * `assay report`: resolves the runs, compares them (with --compare), then reads the run once: the eval
 * report (buildEvalReport, the same numbers as `assay eval`) pulls the results, and each result also feeds
 * the report collector and the JSONL file beside the report. Both files are written atomically.
 */
export async function writeReport(opts: WriteReportOptions): Promise<WriteReportResult> {
  const format = checkReportTarget(opts.output);
  const cwd = opts.cwd ?? process.cwd();
  const own =
    typeof opts.store === 'object'
      ? undefined
      : await openStore({ path: await locateStore({ cwd, config: opts.config, store: opts.store }) });
  const store = typeof opts.store === 'object' ? opts.store : (own as Store);
  try {
    const root = await projectRoot(cwd, opts.config);
    const run = await resolveRunRef(store, opts.run, root);
    const baselineRun =
      opts.compare === undefined ? undefined : await resolveRunRef(store, opts.compare, root);
    const shared = baselineRun && {
      cwd,
      config: opts.config,
      store,
      baseline: baselineRun.id,
      candidates: [run.id],
      seed: opts.seed ?? 0,
    };
    const pass = shared && (await compareRunFamily({ ...shared, metric: 'pass' }));
    const collector = new ReportCollector({
      run,
      assayVersion: opts.assayVersion,
      caps: opts.caps,
      ...(baselineRun && pass
        ? { compare: { baselineRun, pass: pass.comparisons, score: [], warnings: [...pass.warnings] } }
        : {}),
    });
    const resultsFile = resultsFileFor(opts.output);
    const jsonl = await AtomicTextFile.open(resultsFile);
    const out = await AtomicTextFile.open(opts.output).catch(async (e: unknown) => {
      await jsonl.abort();
      throw e;
    });
    try {
      // The JSONL lines are what `assay export --format jsonl` writes: one JSON result per line.
      const tapped = new Proxy(store, {
        get: (target, key, receiver) =>
          key === 'iterateResults'
            ? async function* (id: string) {
                for await (const r of target.iterateResults(id)) {
                  collector.add(r);
                  await jsonl.write(`${JSON.stringify(r)}\n`);
                  yield r;
                }
              }
            : Reflect.get(target, key, receiver),
      });
      const project = await loadProject({ cwd, configPath: opts.config }).catch(() => undefined);
      const judges = project ? await runJudges(project, run.manifest.suite.name) : undefined;
      const expected = runSuiteExpected(
        project?.suites.find((s) => s.name === run.manifest.suite.name),
        run.manifest,
      );
      const report = await buildEvalReport({ store: tapped, run, maxErrorRate: 1, judges, expected });
      if (baselineRun)
        for await (const r of store.iterateResults(baselineRun.id)) {
          collector.addBaseline(r);
          await jsonl.write(`${JSON.stringify(r)}\n`);
        }
      // The mean-score comparison adds something only when scores are fractional (else it is the pass rate).
      let score: Comparison[] = [];
      if (shared && report.summary.groups.some((g) => g.score !== null))
        try {
          score = (await compareRunFamily({ ...shared, metric: 'score' })).comparisons;
        } catch (e) {
          if (!(e instanceof AssayError)) throw e;
          report.warnings.push(`mean-score comparison not available: ${e.message}`);
        }
      const data = collector.finish(report, score);
      data.resultsFile = basename(resultsFile);
      if (data.comparison && pass?.judges.length) data.comparison.judges = pass.judges;
      if (project) addInputs(data, project);
      const text = format === 'html' ? renderHtmlReport(data) : renderMarkdownReport(data);
      await out.write(text);
      await jsonl.commit();
      await out.commit();
      return {
        file: opts.output,
        resultsFile,
        format,
        runId: run.id,
        ...(baselineRun ? { baselineRunId: baselineRun.id } : {}),
        results: data.cases.total,
        embedded: data.cases.embedded.length,
        bytes: Buffer.byteLength(text),
      };
    } catch (e) {
      await jsonl.abort();
      await out.abort();
      throw e;
    }
  } finally {
    await own?.close();
  }
}

/**
 * The LLM judges the run's suite uses, with their status in this project, as `assay eval` reports them; a
 * validated judge carries its validation record, so the eval report corrects its pass rates.
 */
async function runJudges(project: Project, suite: string) {
  return Promise.all(
    suiteJudges(project, suite).map(async ([file, name]) => {
      const status = await judgeStatus(file, { root: project.root });
      const j = { name, file, ...status };
      return j.status === 'validated' ? { ...j, record: await readValidationRecord(file, project.root) } : j;
    }),
  );
}

/**
 * Fills the embedded cases' inputs from the project's suite, only when it is the suite the run used (same
 * hash): an edited suite could show a case with vars it was not run with.
 */
function addInputs(data: ReportData, project: Project): void {
  const suite = project.suites.find((s) => s.name === data.manifest.suite.name);
  if (!suite || suite.hash !== data.manifest.suite.hash) return;
  const wanted = new Set(data.cases.embedded.map((e) => e.caseId));
  const vars = new Map(suite.cases.filter((c) => wanted.has(c.id)).map((c) => [c.id, c.vars]));
  for (const e of data.cases.embedded) {
    const v = vars.get(e.caseId);
    if (v !== undefined) e.input = inputText(v);
  }
}

/** A case's vars as short text: `name: value` lines, strings as they are, at most 500 characters. */
export function inputText(vars: Record<string, unknown>): string {
  const text = Object.entries(vars)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('\n');
  return text.length > 500 ? `${text.slice(0, 499)}…` : text;
}
