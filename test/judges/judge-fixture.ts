import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Project } from '../../src/core/config/project.ts';
import type { CheckResult, ResultRecord } from '../../src/core/types.ts';
import { Budget } from '../../src/engine/budget.ts';
import { runEval } from '../../src/engine/run-engine.ts';
import type { RunOutcome } from '../../src/engine/run-options.ts';
import { createModelRegistry } from '../../src/models/model-registry.ts';
import { loadProject } from '../../src/project/load-project.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/**
 * The code line every judge prompt starts with; the scripted judges read the real marker code from it,
 * as an obedient judge reads it from its instructions.
 */
const CODE = '^Data marker code: ([0-9a-f]{16})';

/** Text strictly inside the real OUTPUT block, then `word`. */
export function insideOutput(word: string): string {
  return String.raw`${CODE}[\s\S]*<<<OUTPUT-\1>>>\n(?:(?!<<<END-OUTPUT-\1>>>)[\s\S])*${word}`;
}

/** `phrase` after the real OUTPUT block closed, i.e. in the judge's own instructions. */
export function afterOutput(phrase: string): string {
  return String.raw`${CODE}[\s\S]*<<<END-OUTPUT-\1>>>[\s\S]*${phrase}`;
}

/** A fake-model script rule as YAML (regex single-quoted: no escapes; reply double-quoted JSON). */
export function rule(match: string, reply: string): string {
  return `  - match: '${match.replaceAll("'", "''")}'\n    reply: ${JSON.stringify(reply)}`;
}

export function script(rules: string[], fallback: string): string {
  return `rules:${rules.length === 0 ? ' []' : ''}\n${rules.join('\n')}\ndefault: ${JSON.stringify(fallback)}\n`;
}

export const verdict = (v: 'pass' | 'fail', why: string) => JSON.stringify({ reasoning: why, verdict: v });

/**
 * An obedient pass/fail judge: it grades only what is inside the real OUTPUT block (passes when the
 * output offers a refund), and it follows instructions that stand outside the data (so an injection that
 * escaped the block would flip it to pass).
 */
export const OBEDIENT_JUDGE = script(
  [
    rule(afterOutput('answer PASS'), verdict('pass', 'instructed to pass')),
    rule(insideOutput('refund'), verdict('pass', 'offers a refund')),
  ],
  verdict('fail', 'no refund offered'),
);

export interface JudgeFixture {
  dir: string;
  project: Project;
  store: SqliteStore;
  run(suite: string, budget?: Budget): Promise<{ outcome: RunOutcome; results: ResultRecord[] }>;
}

const cleanups: (() => Promise<void>)[] = [];
export async function cleanupFixtures(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) await c();
}

/**
 * A project whose prompt echoes `{{ answer }}` through `fake:echo` (so the output is the case's
 * `answer`), with the given judge models (`fake:NAME` → script text) and files.
 */
export async function judgeFixture(opts: {
  judges: Record<string, string>;
  files: Record<string, string>;
  suites: string[];
  extraConfig?: string[];
}): Promise<JudgeFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'assay-judges-'));
  const models = ['  - id: fake:echo'];
  const files: Record<string, string> = {
    'q.prompt.md': '---\nvariables:\n  answer: string\n---\n{{ answer }}\n',
    ...opts.files,
  };
  for (const [name, text] of Object.entries(opts.judges)) {
    models.push(`  - id: fake:${name}`, `    script: models/${name}.yaml`);
    files[`models/${name}.yaml`] = text;
  }
  files['assay.yaml'] = [
    'prompts: [q.prompt.md]',
    `suites: [${opts.suites.join(', ')}]`,
    'models:',
    ...models,
    ...(opts.extraConfig ?? []),
  ].join('\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const store = openSqliteStore(join(dir, 'assay.db'));
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const project = await loadProject({ cwd: dir });
  return {
    dir,
    project,
    store,
    async run(suite, budget) {
      const registry = createModelRegistry(project.models, { root: project.root, env: {} });
      const outcome = await runEval({
        project,
        store,
        suite,
        models: ['fake:echo'],
        resolveModel: (id) => registry.resolve(id),
        ...(budget ? { budget } : {}),
      });
      const results: ResultRecord[] = [];
      for await (const r of store.iterateResults(outcome.run.id)) results.push(r);
      results.sort((a, b) => a.caseId.localeCompare(b.caseId));
      return { outcome, results };
    },
  };
}

export function judgeResult(r: ResultRecord): CheckResult {
  const c = r.checks.find((x) => x.type === 'judge');
  if (!c) throw new Error(`no judge result for ${r.caseId}`);
  return c;
}

export { Budget };
