import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYamlText, stringify } from 'yaml';
import { AssayError } from '../../core/errors.ts';
import { caseSchema } from '../../core/suite/case-schema.ts';
import { editSuiteText } from '../../core/suite/edit-suite-text.ts';
import { rawSuiteCases } from '../../core/suite/raw-suite-cases.ts';
import { readTextFile } from '../../project/read-text-file.ts';
import { resolveSuiteFile } from '../../suites/resolve-suite-file.ts';
import { type ReviewAction, type ReviewItem, SuiteReviewer } from '../../suites/suite-reviewer.ts';
import { writeSuiteFile } from '../../suites/write-suite-file.ts';

interface ReviewFlags {
  cwd: string;
  config?: string;
  all?: boolean;
}

/**
 * `assay suite review SUITE`: the unreviewed cases one by one in the terminal (SuiteReviewer); each
 * decision is written to the suite file at once (atomically), so quitting loses nothing.
 */
export async function suiteReviewCommand(suite: string, flags: ReviewFlags): Promise<number> {
  const ref = await resolveSuiteFile(suite, { cwd: flags.cwd, config: flags.config });
  const read = () => readTextFile(ref.abs, ref.shown, {}, 'suite file');
  const items: ReviewItem[] = rawSuiteCases(await read(), ref.shown).filter(
    (c) => flags.all || c.raw.review === 'unreviewed',
  );
  if (items.length === 0) {
    process.stdout.write(
      `${ref.shown}: no case to review${flags.all ? '' : ' (none is marked review: unreviewed)'}\n`,
    );
    return 0;
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new AssayError(
      `assay suite review needs a terminal; ${items.length} case${items.length === 1 ? ' is' : 's are'} unreviewed in ${ref.shown} (or edit review: by hand)`,
      2,
    );
  const apply = (action: ReviewAction) => {
    // Read afresh each time: the file may have been edited meanwhile (e.g. in the editor of an edit).
    const text = readFileSync(ref.abs, 'utf8');
    const edit =
      action.kind === 'accept'
        ? { id: action.id, set: { review: 'accepted' } }
        : action.kind === 'reject'
          ? { id: action.id, remove: true as const }
          : { id: action.id, replace: action.raw };
    writeSuiteFile(ref.abs, ref.shown, editSuiteText(text, ref.shown, [edit]));
  };
  const stdin = process.stdin;
  return await new Promise<number>((res, rej) => {
    const stop = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
    };
    const reviewer = new SuiteReviewer({
      items,
      shownFile: ref.shown,
      apply,
      edit: (item) => {
        stdin.setRawMode(false);
        try {
          return editInEditor(item);
        } finally {
          stdin.setRawMode(true);
        }
      },
      write: (text) => process.stdout.write(text),
      onEnd: (s) => {
        stop();
        process.stdout.write(
          `\x1b[2J\x1b[H${s.accepted} accepted · ${s.rejected} rejected · ${s.edited} edited · ${s.left} left unreviewed · ${ref.shown}\n`,
        );
        res(0);
      },
    });
    const onData = (chunk: Buffer) => {
      try {
        reviewer.feed(chunk.toString('utf8'));
      } catch (e) {
        stop();
        rej(e);
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
    reviewer.start();
  });
}

/**
 * Opens the case as YAML in $VISUAL / $EDITOR (default vi) and returns the saved case when it changed.
 * The saved text must be one valid case (same schema as the suite file), else the error says why.
 */
function editInEditor(item: ReviewItem): Record<string, unknown> | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'assay-review-'));
  const file = join(dir, 'case.yaml');
  try {
    const before = stringify(item.raw, { lineWidth: 0 });
    writeFileSync(file, before);
    const editor = process.env.VISUAL || process.env.EDITOR || 'vi';
    // The editor command may carry arguments (`code -w`); the file path is ours and needs no quoting care.
    const r = spawnSync(`${editor} '${file}'`, { shell: true, stdio: 'inherit' });
    if (r.error || r.status !== 0)
      throw new Error(`the editor (${editor}) exited with ${r.error?.message ?? `status ${r.status}`}`);
    const after = readFileSync(file, 'utf8');
    if (after === before) return undefined;
    let value: unknown;
    try {
      value = parseYamlText(after);
    } catch (e) {
      throw new Error(`invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      throw new Error('the case must be a mapping (id:, vars:, …)');
    const check = caseSchema.safeParse(value);
    if (!check.success) {
      const issue = check.error.issues[0];
      throw new Error(`${issue?.path.join('.') || 'case'}: ${issue?.message ?? 'invalid case'}`);
    }
    return value as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
