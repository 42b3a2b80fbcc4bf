import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { AssayError } from '../../core/errors.ts';
import { convertPromptfooConfig } from '../../import/promptfoo/convert-promptfoo-config.ts';
import { convertPromptfooResults } from '../../import/promptfoo/convert-promptfoo-results.ts';

interface ImportConfigFlags {
  output?: string;
  force?: boolean;
  json?: boolean;
}

/** `assay import promptfoo CONFIG -o DIR`: writes the converted project and lists what was not converted. */
export async function importPromptfooCommand(configPath: string, flags: ImportConfigFlags): Promise<number> {
  const file = resolve(configPath);
  const shown = relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new AssayError(`cannot read ${shown}: no such file; pass the path of a promptfooconfig.yaml`, 2);
  }
  const base = dirname(file);
  const result = convertPromptfooConfig({
    text,
    file: shown,
    readFile: (p) => readFileSync(resolve(base, p), 'utf8'),
  });
  const out = resolve(flags.output ?? 'assay-import');
  const clashes = Object.keys(result.files).filter((f) => existsSync(join(out, f)));
  if (clashes.length && !flags.force)
    throw new AssayError(
      `${relative(process.cwd(), out) || '.'} already has ${clashes.join(', ')}; use --force to overwrite, or pick another folder with -o`,
      2,
    );
  for (const [f, content] of Object.entries(result.files)) {
    await mkdir(dirname(join(out, f)), { recursive: true });
    await writeFile(join(out, f), content);
  }
  const relPath = relative(process.cwd(), out) || '.';
  const rel = relPath.startsWith('..') ? out : relPath;
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ dir: out, files: Object.keys(result.files).sort(), summary: result.summary, notes: result.notes })}\n`,
    );
    return 0;
  }
  const s = result.summary;
  const lines = [
    `imported ${shown} into ${rel}: ${s.prompts} prompts, ${s.models} models, ${s.cases} cases, ${s.checks} checks, ${s.judges} judges`,
  ];
  const dropped = result.notes.filter((n) => n.kind === 'not-converted');
  const changed = result.notes.filter((n) => n.kind === 'changed');
  if (dropped.length) {
    lines.push(`not converted (${dropped.length}):`);
    for (const n of dropped) lines.push(`  ${n.where}: ${n.what}: ${n.reason}`);
  }
  if (changed.length) {
    lines.push(`converted with a change (${changed.length}):`);
    for (const n of changed) lines.push(`  ${n.where}: ${n.what}: ${n.reason}`);
  }
  lines.push(`details: ${join(rel, 'IMPORT-NOTES.md')}`, `next:\n  assay eval -C ${rel}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

interface ImportResultsFlags {
  cwd: string;
  config?: string;
  store?: string;
  json?: boolean;
}

/** `assay import promptfoo-results results.json`: stores a promptfoo eval as a completed Assay run. */
export async function importPromptfooResultsCommand(
  path: string,
  flags: ImportResultsFlags,
): Promise<number> {
  const file = resolve(path);
  const shown = relative(process.cwd(), file) || file;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new AssayError(
      existsSync(file)
        ? `${shown}: not valid JSON (${(err as Error).message.replace(/\s+/g, ' ')}); expected the file written by \`promptfoo eval -o results.json\``
        : `cannot read ${shown}: no such file`,
      2,
    );
  }
  const run = convertPromptfooResults(json, shown);
  // The store is loaded only here: converting a config never opens one.
  const { locateStore } = await import('../../app/locate-store.ts');
  const { openStore } = await import('../../store/open-store.ts');
  let storePath: string;
  try {
    storePath = await locateStore({ cwd: flags.cwd, config: flags.config, store: flags.store });
  } catch (err) {
    // No store yet: the import starts one where `assay eval` would.
    if (!(err instanceof AssayError) || !/no run store/.test(err.message)) throw err;
    storePath = flags.store
      ? resolve(flags.cwd, flags.store)
      : join(resolve(flags.cwd), '.assay', 'assay.db');
    await mkdir(dirname(storePath), { recursive: true });
  }
  const store = await openStore({ path: storePath });
  const id = randomBytes(6).toString('hex');
  try {
    await store.createRun({ id, manifest: run.manifest, planned: run.results.length });
    await store.writeResults(run.results.map((r) => ({ ...r, runId: id })));
    await store.setRunStatus(id, 'completed');
  } finally {
    await store.close();
  }
  const count = (s: string) => run.results.filter((r) => r.status === s).length;
  const summary = {
    run: id,
    evalId: run.evalId ?? null,
    prompts: run.manifest.prompts.map((p) => p.name),
    models: run.manifest.models.map((m) => m.id),
    cases: run.manifest.suite.cases,
    results: run.results.length,
    pass: count('pass'),
    fail: count('fail'),
    error: count('error'),
  };
  if (flags.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else
    process.stdout.write(
      `imported promptfoo eval ${summary.evalId ?? ''} as run ${id}: ${summary.results} results (${summary.pass} pass, ${summary.fail} fail, ${summary.error} error) over ${summary.cases} cases\n` +
        `  prompts: ${summary.prompts.join(', ')}\n  models: ${summary.models.join(', ')}\n` +
        `next:\n  assay runs show ${id}\n  assay compare ${id} latest\n`,
    );
  return 0;
}
