import { parse as parseYaml, stringify } from 'yaml';
import { ConfigError } from '../../core/errors.ts';
import {
  type AssertionContext,
  type CheckSpec,
  convertAssertion,
  fill,
  type JudgeSpec,
  usesVars,
} from './convert-assertion.ts';
import { type ConvertedPrompt, convertPrompts, type ReadFile } from './convert-prompts.ts';
import { convertProviderId, convertProviders, type ModelEntry } from './convert-providers.ts';
import { caseIds, fileRef, slug, uniqueNames } from './import-names.ts';
import { type ImportNote, NoteList } from './import-note.ts';
import { readPromptfooTests } from './read-promptfoo-tests.ts';
import { renderImportNotes } from './render-import-notes.ts';

export interface ConvertInput {
  /** The config file's text and its name as shown in messages. */
  text: string;
  file: string;
  /** Reads files the config names (relative to the config's folder). */
  readFile: ReadFile;
}

export interface ConvertResult {
  /** Output files by path relative to the output folder (assay.yaml, prompts/…, suites/…, judges/…, IMPORT-NOTES.md). */
  files: Record<string, string>;
  notes: ImportNote[];
  summary: { prompts: number; models: number; cases: number; checks: number; judges: number };
}

const TOP_LEVEL_HANDLED = new Set([
  'description',
  'prompts',
  'providers',
  'targets',
  'tests',
  'defaultTest',
  'evaluateOptions',
  'outputPath',
  'sharing',
  'env',
  'tags',
  'metadata',
  'writeLatestResults',
  'commandLineOptions',
]);

/**
 * A promptfoo config → an Assay project (pure: files come in through `readFile`, go out as text).
 * Throws ConfigError (exit 2) when the YAML does not parse or is not a promptfoo config; anything
 * that cannot be converted is a note, never an error.
 */
export function convertPromptfooConfig(input: ConvertInput): ConvertResult {
  let config: Record<string, unknown>;
  try {
    config = parseYaml(input.text) as Record<string, unknown>;
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const first = (err as Error).message.split('\n')[0]?.replace(/:$/, '');
    throw new ConfigError(`invalid YAML: ${first}`, {
      file: input.file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
      expected: 'a promptfoo config (promptfooconfig.yaml)',
    });
  }
  if (!config || typeof config !== 'object' || Array.isArray(config))
    throw new ConfigError('not a promptfoo config', {
      file: input.file,
      expected: 'a mapping with prompts, providers and tests',
    });
  if (config.prompts === undefined)
    throw new ConfigError('missing `prompts`', {
      file: input.file,
      field: 'prompts',
      expected: 'the prompts to evaluate',
    });
  const notes = new NoteList();
  for (const k of Object.keys(config))
    if (!TOP_LEVEL_HANDLED.has(k)) notes.dropped(k, k, 'no Assay equivalent in an imported project');
  if (config.env !== undefined)
    notes.dropped('env', 'env', 'set environment variables in your shell, never in assay.yaml');

  const prompts = convertPrompts(config.prompts, input.readFile, notes);
  if (prompts.length === 0)
    throw new ConfigError('no prompt could be converted', {
      file: input.file,
      field: 'prompts',
      expected: 'inline prompt text, chat JSON or file:// text/JSON prompts',
      hint: notes.items.map((n) => `${n.where}: ${n.reason}`).join('; '),
    });
  const providers = convertProviders(
    config.providers ?? config.targets,
    notes,
    config.providers ? 'providers' : 'targets',
  );
  const models: ModelEntry[] = providers.map((p) => p.model);

  const defaultTest = (
    typeof config.defaultTest === 'object' && config.defaultTest ? config.defaultTest : {}
  ) as Record<string, unknown>;
  if (typeof config.defaultTest === 'string')
    notes.dropped('defaultTest', String(config.defaultTest), 'a defaultTest file is not read; inline it');
  const dOptions = (defaultTest.options ?? {}) as Record<string, unknown>;

  // Graders: an assertion's own provider, else the test's options.provider, else defaultTest's.
  const graders = new Map<string, string | undefined>();
  let defaultGraderNoted = false;
  const graderId = (provider: unknown, where: string): string | undefined => {
    const p =
      provider && typeof provider === 'object' && 'text' in provider
        ? (provider as { text: unknown }).text
        : provider;
    if (p === undefined) {
      let id = models.find((m) => !m.id.startsWith('fake:'))?.id;
      if (!defaultGraderNoted) {
        defaultGraderNoted = true;
        if (!id) {
          id = 'openai:gpt-4o-mini';
          if (!models.some((m) => m.id === id)) models.push({ id });
        }
        notes.changed(
          where,
          'default grader',
          `promptfoo grades with its default OpenAI grader; the judges use ${id} (change \`model:\` in judges/*.judge.md)`,
        );
      }
      return id ?? 'openai:gpt-4o-mini';
    }
    const key = JSON.stringify(p);
    if (graders.has(key)) return graders.get(key);
    const entry =
      typeof p === 'string'
        ? convertProviderId(p, {}, notes, `${where} grader`)
        : p && typeof p === 'object' && typeof (p as { id?: unknown }).id === 'string'
          ? convertProviderId(
              (p as { id: string }).id,
              ((p as { config?: unknown }).config ?? {}) as Record<string, unknown>,
              notes,
              `${where} grader`,
            )
          : undefined;
    let id = entry?.id;
    if (entry) {
      const same = models.find(
        (m) =>
          JSON.stringify({ ...m, id: '' }) === JSON.stringify({ ...entry, id: '' }) &&
          m.id.startsWith(entry.id),
      );
      if (same) id = same.id;
      else {
        id = uniqueNames([...models.map((m) => m.id), `${entry.id}`]).pop() as string;
        if (id !== entry.id) entry.model ??= entry.id.slice(entry.id.indexOf(':') + 1);
        models.push({ ...entry, id });
        notes.changed(
          where,
          `grader ${id}`,
          'added to models: because judges use it; it is also evaluated unless you pick models with --model',
        );
      }
    }
    graders.set(key, id);
    return id;
  };

  const judges = new Map<string, { name: string; spec: JudgeSpec }>();
  const registerJudge = (spec: JudgeSpec): string => {
    const key = JSON.stringify(spec);
    let j = judges.get(key);
    if (!j) {
      const base = slug(spec.body.split(/\s+/).slice(0, 6).join(' ')) || 'judge';
      const name = uniqueNames([...[...judges.values()].map((x) => x.name), base]).pop() as string;
      j = { name, spec };
      judges.set(key, j);
    }
    return `../judges/${j.name}.judge.md`;
  };

  const rawTests = readPromptfooTests(config.tests, input.readFile, notes);
  if (config.scenarios !== undefined)
    notes.dropped('scenarios', 'scenarios', 'write the expanded tests out as a CSV');

  const defaultAsserts = Array.isArray(defaultTest.assert) ? defaultTest.assert : [];
  const hasThreshold = rawTests.some((t) => typeof (t.test.threshold ?? defaultTest.threshold) === 'number');
  const inlineDefaults = hasThreshold || defaultAsserts.some(usesVars) || defaultAsserts.some(isJudgeType);
  for (const k of Object.keys(dOptions))
    if (k !== 'provider')
      notes.dropped(`defaultTest.options.${k}`, k, 'no Assay equivalent for this test option');
  for (const k of Object.keys(defaultTest))
    if (!['vars', 'assert', 'options', 'threshold', 'metadata', 'description'].includes(k))
      notes.dropped(`defaultTest.${k}`, k, 'no Assay equivalent');

  // Expand array vars into promptfoo's cartesian product, in its order.
  const expanded: { test: Record<string, unknown>; vars: Record<string, unknown>; where: string }[] = [];
  for (const rt of rawTests) {
    const vars = {
      ...((defaultTest.vars ?? {}) as Record<string, unknown>),
      ...((rt.test.vars ?? {}) as Record<string, unknown>),
    };
    for (const [k, v] of Object.entries(vars)) {
      const f = fileRef(v);
      if (!f) continue;
      try {
        const text = input.readFile(f);
        vars[k] = /\.json$/i.test(f) ? JSON.parse(text) : text.trim();
      } catch (err) {
        notes.dropped(`${rt.where}.vars.${k}`, String(v), `cannot read the file: ${(err as Error).message}`);
      }
    }
    const options = (rt.test.options as Record<string, unknown> | undefined)?.disableVarExpansion === true;
    for (const combo of options ? [vars] : cartesian(vars))
      expanded.push({ test: rt.test, vars: resolveVars(combo), where: rt.where });
  }
  const ids = caseIds(
    expanded.map((e) => (typeof e.test.description === 'string' ? e.test.description : undefined)),
  );

  const suiteDefaults: CheckSpec[] = [];
  if (!inlineDefaults) {
    defaultAsserts.forEach((a, i) => {
      suiteDefaults.push(
        ...convertAssertion(
          a,
          assertionCtx(`defaultTest.assert[${i}]`, undefined, dOptions.provider, () => false),
        ),
      );
    });
  }
  function assertionCtx(
    where: string,
    vars: Record<string, unknown> | undefined,
    provider: unknown,
    setExpected: (v: string) => boolean,
  ): AssertionContext {
    return {
      where,
      notes,
      vars,
      judge: registerJudge,
      grader: (p) => graderId(p ?? provider, where),
      setExpected,
    };
  }

  let checkCount = suiteDefaults.length;
  const cases = expanded.map((e, i) => {
    const id = ids[i] as string;
    const t = e.test;
    const options = (t.options ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(options))
      if (k !== 'provider' && k !== 'disableVarExpansion')
        notes.dropped(`${e.where}.options.${k}`, k, 'no Assay equivalent for this test option');
    for (const k of ['provider', 'providers', 'prompts', 'providerOutput', 'assertScoringFunction'])
      if (t[k] !== undefined)
        notes.dropped(
          `${e.where}.${k}`,
          k,
          k === 'providerOutput'
            ? 'a fixed output is not an evaluation in Assay'
            : 'per-test filters and overrides are not converted; every case runs on every prompt and model',
        );
    const c: Record<string, unknown> = { id };
    let expected: string | undefined;
    const setExpected = (v: string) => {
      if (expected !== undefined && expected !== v) return false;
      expected = v;
      return true;
    };
    const grader = options.provider ?? dOptions.provider;
    const checks: CheckSpec[] = [];
    const asserts = [
      ...(inlineDefaults ? defaultAsserts.map((a, j) => [a, `defaultTest.assert[${j}]`] as const) : []),
      ...(Array.isArray(t.assert) ? t.assert : []).map((a, j) => [a, `${e.where}.assert[${j}]`] as const),
    ];
    for (const [a, where] of asserts)
      checks.push(
        ...convertAssertion(a, assertionCtx(`${where} in case ${id}`, e.vars, grader, setExpected)),
      );
    const threshold = t.threshold ?? defaultTest.threshold;
    const final: CheckSpec[] =
      typeof threshold === 'number' && checks.length
        ? [{ type: 'weighted', threshold, checks }]
        : checks.map(({ weight, ...rest }) => {
            if (weight !== undefined)
              notes.changed(
                `${e.where} in case ${id}`,
                'weight',
                "without a test threshold every check must pass; weights only shaped promptfoo's score",
              );
            return rest;
          });
    checkCount += checks.length;
    if (Object.keys(e.vars).length) c.vars = e.vars;
    if (final.length) c.checks = final;
    if (expected !== undefined) c.expected = expected;
    const metadata = {
      ...((t.metadata ?? {}) as Record<string, unknown>),
      ...(typeof t.description === 'string' ? { description: t.description } : {}),
    };
    if (Object.keys(metadata).length) c.metadata = metadata;
    return c;
  });

  const suiteName = slug(typeof config.description === 'string' ? config.description : '') || 'promptfoo';
  const files: Record<string, string> = {};
  for (const p of prompts) files[`prompts/${p.name}.prompt.md`] = promptFile(p, cases);
  const suite: Record<string, unknown> = { name: suiteName };
  if (typeof config.description === 'string') suite.description = config.description;
  if (suiteDefaults.length) suite.defaults = { checks: suiteDefaults };
  suite.cases = cases;
  files[`suites/${suiteName}.yaml`] =
    `# Imported from promptfoo (${input.file}); see IMPORT-NOTES.md\n${stringify(suite, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  for (const { name, spec } of judges.values()) files[`judges/${name}.judge.md`] = judgeFile(name, spec);

  const evaluate = (config.evaluateOptions ?? {}) as Record<string, unknown>;
  const defaults: Record<string, unknown> = {};
  if (typeof evaluate.repeat === 'number') defaults.repeats = evaluate.repeat;
  if (typeof evaluate.maxConcurrency === 'number') defaults.concurrency = evaluate.maxConcurrency;
  for (const k of Object.keys(evaluate))
    if (k !== 'repeat' && k !== 'maxConcurrency')
      notes.dropped(`evaluateOptions.${k}`, k, 'no Assay equivalent');
  const project: Record<string, unknown> = {
    name: suiteName,
    prompts: ['prompts/*.prompt.md'],
    suites: [`suites/${suiteName}.yaml`],
    models: models.map((m) => (Object.keys(m).length === 1 ? m.id : m)),
  };
  if (Object.keys(defaults).length) project.defaults = defaults;
  if (models.length === 0)
    notes.changed(
      'providers',
      'models',
      'no provider could be converted: pass --model (e.g. --model fake:echo) or add models to assay.yaml',
    );
  files['assay.yaml'] =
    `# Assay project imported from promptfoo (${input.file}). Docs: docs/config.md, docs/import.md\n# What was not converted, and why: IMPORT-NOTES.md\n${stringify(project, { lineWidth: 0, aliasDuplicateObjects: false })}`;
  const summary = {
    prompts: prompts.length,
    models: models.length,
    cases: cases.length,
    checks: checkCount,
    judges: judges.size,
  };
  files['IMPORT-NOTES.md'] = renderImportNotes(input.file, summary, notes.items);
  return { files, notes: notes.items, summary };
}

/**
 * promptfoo renders vars that name other vars (`greeting: "Hi {{name}}"`) and drops one trailing newline;
 * Assay inserts values as they are, so the import does both. A value it cannot fill stays as written.
 */
function resolveVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = typeof v === 'string' ? v.replace(/\n$/, '') : v;
  for (let pass = 0; pass < 5; pass++) {
    let changed = false;
    for (const [k, v] of Object.entries(out)) {
      if (typeof v !== 'string' || !v.includes('{{')) continue;
      try {
        const filled = fill(v, { vars: { ...out, [k]: undefined } });
        if (filled !== v) {
          out[k] = filled;
          changed = true;
        }
      } catch {
        // left as written: it names a var no test sets, or uses more than {{ var }}
      }
    }
    if (!changed) break;
  }
  return out;
}

function isJudgeType(a: unknown): boolean {
  const t = String((a as { type?: unknown })?.type ?? '').replace(/^not-/, '');
  return ['llm-rubric', 'model-graded-closedqa', 'g-eval', 'factuality', 'model-graded-factuality'].includes(
    t,
  );
}

function cartesian(vars: Record<string, unknown>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, v] of Object.entries(vars)) {
    const values = Array.isArray(v) && v.length ? v : [v];
    out = out.flatMap((o) => values.map((x) => ({ ...o, [k]: x })));
  }
  return out;
}

const TYPE_OF = (v: unknown): string =>
  typeof v === 'number'
    ? 'number'
    : typeof v === 'boolean'
      ? 'boolean'
      : Array.isArray(v)
        ? 'array'
        : v && typeof v === 'object'
          ? 'object'
          : 'string';

/** The prompt file, with each variable typed from the cases' values (strings when they disagree). */
function promptFile(p: ConvertedPrompt, cases: Record<string, unknown>[]): string {
  const variables: Record<string, unknown> = {};
  for (const name of p.variables) {
    const values = cases.map((c) => ((c.vars ?? {}) as Record<string, unknown>)[name]);
    const present = values.filter((v) => v !== undefined);
    const types = new Set(present.map(TYPE_OF));
    let type = types.size === 1 ? ([...types][0] as string) : 'string';
    if (present.length < values.length && type !== 'string' && type !== 'object') type = 'string';
    if (type === 'string')
      for (const c of cases) {
        const vars = c.vars as Record<string, unknown> | undefined;
        if (vars && vars[name] !== undefined && typeof vars[name] !== 'string')
          vars[name] = TYPE_OF(vars[name]) === 'string' ? String(vars[name]) : JSON.stringify(vars[name]);
      }
    // promptfoo renders a missing var as empty text; a default keeps that.
    variables[name] =
      present.length < values.length || values.length === 0
        ? { type, default: type === 'object' ? {} : '' }
        : type;
  }
  const front: Record<string, unknown> = {
    name: p.name,
    description: `Imported from promptfoo (${p.source})`,
  };
  if (Object.keys(variables).length) front.variables = variables;
  const body = p.messages.map((m) => `# ${m.role}\n${m.content.trim()}`).join('\n\n');
  return `---\n${stringify(front, { lineWidth: 0 })}---\n${body}\n`;
}

function judgeFile(name: string, spec: JudgeSpec): string {
  const front: Record<string, unknown> = { name, kind: spec.kind, scale: spec.scale, model: spec.model };
  if (spec.passThreshold !== undefined) front.passThreshold = spec.passThreshold;
  front.description = 'Imported from a promptfoo model-graded assertion';
  return `---\n${stringify(front, { lineWidth: 0 })}---\n${spec.body}\n`;
}
