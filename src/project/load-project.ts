import { glob, readdir, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { agentCheckRefs } from '../agents/agent-check-refs.ts';
import { loadAgentEnvironments } from '../agents/load-agent-environments.ts';
import { bindConversationChecks, conversationCheckSpecs } from '../conversations/conversation-checks.ts';
import { checkConversations, resolveConversationRefs } from '../conversations/load-conversations.ts';
import { collectCustomRefs } from '../core/checks/collect-custom-refs.ts';
import { compileCheck } from '../core/checks/compile-check.ts';
import type { ResolvedConfig } from '../core/config/config-schema.ts';
import { formatFieldPath } from '../core/config/format-field-path.ts';
import type { BoundCheck, LoadWarning, Project, ProjectDefaults } from '../core/config/project.ts';
import { throwConfigErrors } from '../core/config/throw-config-errors.ts';
import { closestMatch } from '../core/did-you-mean.ts';
import { ConfigError, type ConfigErrorInfo, ConfigErrors } from '../core/errors.ts';
import { type ParsedSuite, suiteHash } from '../core/suite/build-suite.ts';
import { checkSuiteVariables } from '../core/suite/check-suite-variables.ts';
import type { CheckSpec, CompiledCheck, PromptSpec } from '../core/types.ts';
import type { Locate } from '../core/yaml-locate.ts';
import { isJudgeSpec } from '../judges/judge-check.ts';
import type { JudgeSpec } from '../judges/judge-file.ts';
import { judgeRefs } from '../judges/judges-in-check.ts';
import { isDatabaseUrl } from '../store/database-url.ts';
import { expandPromptVariants } from './expand-prompt-variants.ts';
import { findConfigFile } from './find-config-file.ts';
import { loadConfigFile } from './load-config-file.ts';
import { loadCustomChecks } from './load-custom-checks.ts';
import { loadPromptFile } from './load-prompt-file.ts';
import { loadSuiteFile } from './load-suite-file.ts';
import { projectPath } from './project-path.ts';
import { resolveSchemaRefs } from './resolve-schema-refs.ts';

export interface LoadProjectOptions {
  /** Folder to look for the config in (and resolve `configPath` against). */
  cwd: string;
  /** Config file (or folder holding one), relative to `cwd`. */
  configPath?: string;
}

/**
 * Loads and validates a whole project: config, prompts (globs expanded), suites, checks (compiled, with
 * config and suite default checks merged into every case) and the variables each case gives each prompt.
 * Every problem is a ConfigError (several at once: ConfigErrors), found before any model is called.
 */
export async function loadProject(options: LoadProjectOptions): Promise<Project> {
  const configAbs = await findConfigFile(options.cwd, options.configPath);
  const root = dirname(configAbs);
  const configFile = projectPath(root, configAbs);
  const { config, locate } = await loadConfigFile(configAbs, configFile);
  const at = (path: (string | number)[]): ConfigErrorInfo => {
    const pos = locate(path);
    return { file: configFile, line: pos?.line, column: pos?.column };
  };
  const errors: ConfigError[] = [];
  const warnings: LoadWarning[] = [];

  // Prompts.
  const promptFiles = await expandPromptPatterns(config.prompts, root, at, errors);
  const promptResults = await Promise.allSettled(promptFiles.map((f) => loadPromptFile(f, root)));
  const prompts: PromptSpec[] = [];
  for (const r of promptResults) {
    if (r.status === 'fulfilled') prompts.push(r.value);
    else collect(errors, r.reason);
  }
  const byName = new Map<string, PromptSpec>();
  for (const p of prompts) {
    const other = byName.get(p.name);
    if (other)
      errors.push(
        new ConfigError(`prompt name '${p.name}' is used by both ${other.file} and ${p.file}`, {
          file: p.file,
          field: 'name',
          expected: 'a unique name per prompt',
          hint: "set a different 'name:' in one of the front matters",
        }),
      );
    else byName.set(p.name, p);
  }

  // Suites.
  const entries = await expandSuiteEntries(config.suites, root, at, errors);
  const suiteResults = await Promise.allSettled(
    entries.map((e) =>
      loadSuiteFile(e.file, root, { where: { ...at(e.path), field: formatFieldPath(e.path) } }),
    ),
  );
  const parsedSuites: { parsed: ParsedSuite; entry: SuiteEntryAt }[] = [];
  suiteResults.forEach((r, i) => {
    const entry = entries[i] as SuiteEntryAt;
    if (r.status === 'fulfilled') parsedSuites.push({ parsed: r.value, entry });
    else collect(errors, r.reason);
  });
  throwConfigErrors(errors);

  // Technique variants (docs/techniques.md): derived prompts, each right after its base prompt.
  const variants = await expandPromptVariants(
    prompts,
    parsedSuites.map(({ parsed, entry }) => ({
      file: parsed.suite.file,
      cases: parsed.suite.cases,
      ...(entry.prompts ? { prompts: entry.prompts } : {}),
    })),
    root,
  );
  errors.push(...variants.errors);
  warnings.push(...variants.warnings);
  prompts.splice(0, prompts.length, ...prompts.flatMap((p) => [p, ...(variants.byBase.get(p.name) ?? [])]));
  for (const derived of variants.byBase.values()) for (const d of derived) byName.set(d.name, d);
  const withVariants = (names: string[]) => [
    ...new Set(names.flatMap((n) => [n, ...(variants.byBase.get(n) ?? []).map((d) => d.name)])),
  ];

  // Config-level default checks (schema files relative to the config).
  const configDefaults = await resolveConfigDefaults(config, configFile, root, locate);

  const suites: Project['suites'] = [];
  const suiteNames = new Map<string, string>();
  const finished: { parsed: ParsedSuite; prompts: PromptSpec[] }[] = [];
  for (const { parsed: original, entry } of parsedSuites) {
    warnings.push(...original.warnings);
    const name = entry.name ?? original.suite.name;
    const clash = suiteNames.get(name);
    if (clash) {
      errors.push(
        new ConfigError(`suite name '${name}' is used by both ${clash} and ${original.suite.file}`, {
          ...at(entry.path),
          field: formatFieldPath(entry.path),
          expected: 'a unique name per suite',
          hint: "give one of them a 'name:' (in the suite file or in the config's suites entry)",
        }),
      );
      continue;
    }
    suiteNames.set(name, original.suite.file);
    const merged = mergeConfigDefaults(
      original,
      configDefaults.specs,
      name,
      entry.prompts && withVariants(entry.prompts),
    );
    let selected = prompts;
    if (entry.prompts) {
      selected = [];
      entry.prompts.forEach((promptName, j) => {
        const p = byName.get(promptName);
        if (p) {
          for (const q of [p, ...(variants.byBase.get(promptName) ?? [])])
            if (!selected.includes(q)) selected.push(q);
        } else {
          const near = closestMatch(promptName, [...byName.keys()]);
          errors.push(
            new ConfigError(`no prompt named '${promptName}'`, {
              ...at([...entry.path, 'prompts', j]),
              field: formatFieldPath([...entry.path, 'prompts', j]),
              expected: `one of: ${[...byName.keys()].join(', ') || '(no prompts loaded)'}`,
              hint: near ? `did you mean '${near}'?` : undefined,
            }),
          );
        }
      });
    }
    suites.push(merged.suite);
    finished.push({ parsed: merged, prompts: selected });
  }

  // Conversations' per-turn checks: schema and judge paths read like case checks' (load-suite-file).
  const turnSpecs = new Map<CheckSpec, CheckSpec>();
  for (const { parsed } of finished)
    try {
      for (const [from, to] of await resolveConversationRefs(parsed, root)) turnSpecs.set(from, to);
    } catch (e) {
      collect(errors, e);
    }

  // Custom checks, then compile every check once (shared default specs are compiled once).
  const allSpecs = new Map<CheckSpec, ConfigErrorInfo>();
  for (const { parsed } of finished) {
    for (const c of parsed.suite.cases)
      for (const spec of [...c.checks, ...conversationCheckSpecs(c).map((s) => turnSpecs.get(s) ?? s)])
        if (!allSpecs.has(spec)) allSpecs.set(spec, whereOf(parsed, spec, configDefaults.where));
  }
  let customChecks = new Map<string, CompiledCheck>();
  const refs = [
    ...new Set([...collectCustomRefs([...allSpecs.keys()]), ...agentCheckRefs([...allSpecs.keys()])]),
  ];
  if (refs.length > 0) {
    try {
      const refWhere = new Map<string, ConfigErrorInfo>();
      for (const [spec, where] of allSpecs)
        for (const ref of [...collectCustomRefs([spec]), ...agentCheckRefs([spec])])
          if (!refWhere.has(ref)) refWhere.set(ref, where);
      customChecks = await loadCustomChecks(refs, root, (ref) => refWhere.get(ref) ?? { file: configFile });
    } catch (e) {
      collect(errors, e);
    }
  }
  const compiled = new Map<CheckSpec, BoundCheck | undefined>();
  const checkModels = new Set<string>();
  for (const [spec, where] of allSpecs) {
    try {
      // A judge's model must be configured like any other (it is called through the same registry);
      // judges nested in all/any/weighted and a jury's members included.
      for (const ref of judgeRefs(spec)) {
        if (!isJudgeSpec(ref.value)) continue;
        const judge: JudgeSpec = ref.value;
        checkModels.add(judge.model);
        if (!config.models.some((m) => m.id === judge.model))
          throw new ConfigError(`judge '${judge.name}' uses model ${judge.model}, which is not configured`, {
            ...where,
            field: where.field ? `${where.field}.${ref.field}` : ref.field,
            expected: `a model listed in models: in ${configFile}`,
            hint: `add '- id: ${judge.model}' to models:, or change 'model' in ${judge.file}`,
          });
      }
      const run = compileCheck(spec, { where, customChecks });
      compiled.set(spec, {
        type: spec.type,
        ...(typeof spec.name === 'string' ? { name: spec.name } : {}),
        run,
      });
    } catch (e) {
      collect(errors, e);
      compiled.set(spec, undefined);
    }
  }
  const checks: Project['checks'] = new Map();
  for (const { parsed } of finished) {
    const perCase = new Map<string, BoundCheck[]>();
    for (const c of parsed.suite.cases)
      perCase.set(
        c.id,
        c.checks.map((s) => compiled.get(s)).filter((b): b is BoundCheck => b !== undefined),
      );
    checks.set(parsed.suite.name, perCase);
    for (const c of parsed.suite.cases)
      if (c.turns || c.everyTurn) bindConversationChecks(c, (s) => compiled.get(turnSpecs.get(s) ?? s));
  }

  // Conversations: simulated users' models are configured (and opened by runs), first turns fit the prompts.
  for (const { parsed, prompts: selected } of finished) {
    const r = checkConversations(parsed, selected, config.models, configFile);
    errors.push(...r.errors);
    for (const m of r.models) checkModels.add(m);
  }

  // Every case gives every prompt of its suite the variables it needs.
  for (const { parsed, prompts: selected } of finished) {
    const r = checkSuiteVariables(parsed.suite, selected, parsed.locations);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
  }

  // Agent cases: import their tool environments, check their fixtures name declared tools.
  errors.push(
    ...(await loadAgentEnvironments(
      root,
      finished.map(({ parsed, prompts: selected }) => ({
        suite: parsed.suite,
        locations: parsed.locations,
        prompts: selected,
      })),
    )),
  );

  // Paths.
  let pricesFile: string | undefined;
  if (config.prices !== undefined) {
    pricesFile = resolve(root, config.prices);
    if (!(await stat(pricesFile).catch(() => undefined))?.isFile())
      errors.push(
        new ConfigError(`prices file '${config.prices}' not found`, {
          ...at(['prices']),
          field: 'prices',
          expected: `a file path relative to ${configFile}`,
        }),
      );
  }
  throwConfigErrors(errors);

  const { checks: _defaultChecks, ...defaults } = config.defaults;
  return {
    root,
    configFile,
    name: config.name ?? basename(root),
    prompts,
    suites,
    models: config.models,
    defaults: defaults as ProjectDefaults,
    storePath: isDatabaseUrl(config.store) ? config.store : resolve(root, config.store ?? '.assay/assay.db'),
    ...(pricesFile !== undefined ? { pricesFile } : {}),
    ...(checkModels.size > 0 ? { checkModels: [...checkModels] } : {}),
    checks,
    warnings,
  };
}

interface SuiteEntryAt {
  file: string;
  name?: string;
  prompts?: string[];
  /** Path of the entry in the config (`['suites', 0]`). */
  path: (string | number)[];
}

const GLOB_CHARS = /[*?[\]{}]/;

async function expandPromptPatterns(
  patterns: string[],
  root: string,
  at: (path: (string | number)[]) => ConfigErrorInfo,
  errors: ConfigError[],
): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const [i, pattern] of patterns.entries()) {
    const where = { ...at(['prompts', i]), field: `prompts[${i}]` };
    let matches: string[];
    if (GLOB_CHARS.test(pattern)) {
      matches = [];
      for await (const m of glob(pattern, { cwd: root })) matches.push(m);
      matches = matches
        .map((m) => projectPath(root, m))
        .filter((m) => !m.split('/').includes('node_modules'));
      matches.sort();
      if (matches.length === 0) {
        errors.push(
          new ConfigError(`no prompt files match '${pattern}'`, {
            ...where,
            expected: `a glob or path relative to ${root} matching *.prompt.md files`,
            hint: await nearbyHint(root, pattern),
          }),
        );
        continue;
      }
    } else {
      const info = await stat(resolve(root, pattern)).catch(() => undefined);
      if (!info?.isFile()) {
        errors.push(
          new ConfigError(`prompt file '${pattern}' not found`, {
            ...where,
            expected: `a path relative to ${root}`,
            hint: await nearbyHint(root, pattern),
          }),
        );
        continue;
      }
      matches = [projectPath(root, pattern)];
    }
    for (const m of matches) {
      if (seen.has(m)) continue;
      seen.add(m);
      files.push(m);
    }
  }
  return files;
}

async function expandSuiteEntries(
  suites: ResolvedConfig['suites'],
  root: string,
  at: (path: (string | number)[]) => ConfigErrorInfo,
  errors: ConfigError[],
): Promise<SuiteEntryAt[]> {
  const out: SuiteEntryAt[] = [];
  for (const [i, entry] of suites.entries()) {
    const path = ['suites', i];
    const base = { ...entry, path } as SuiteEntryAt;
    if (!GLOB_CHARS.test(entry.file)) {
      const info = await stat(resolve(root, entry.file)).catch(() => undefined);
      if (!info?.isFile()) {
        errors.push(
          new ConfigError(`suite file '${entry.file}' not found`, {
            ...at(path),
            field: `suites[${i}]`,
            expected: `a .yaml, .jsonl or .csv file path relative to ${root}`,
            hint: await nearbyHint(root, entry.file),
          }),
        );
        continue;
      }
      out.push(base);
      continue;
    }
    const matches: string[] = [];
    for await (const m of glob(entry.file, { cwd: root })) matches.push(projectPath(root, m));
    matches.sort();
    if (matches.length === 0)
      errors.push(
        new ConfigError(`no suite files match '${entry.file}'`, {
          ...at(path),
          field: `suites[${i}]`,
          expected: `a glob or path relative to ${root}`,
        }),
      );
    if (matches.length > 1 && base.name !== undefined)
      errors.push(
        new ConfigError(`'name' cannot be given for a glob matching ${matches.length} suite files`, {
          ...at([...path, 'name']),
          field: `suites[${i}].name`,
          expected: 'a single file, or no name (each suite is named after its file)',
        }),
      );
    for (const file of matches)
      out.push({ ...base, file, ...(matches.length > 1 ? { name: undefined } : {}) });
  }
  return out;
}

/** "did you mean 'prompts/x.prompt.md'?" from the files next to where the path points. */
async function nearbyHint(root: string, pattern: string): Promise<string | undefined> {
  const dir = resolve(root, dirname(pattern));
  const names = await readdir(dir).catch(() => undefined);
  if (!names) return `folder '${projectPath(root, dir)}' does not exist`;
  const near = closestMatch(basename(pattern), names);
  return near ? `did you mean '${projectPath(root, resolve(dir, near))}'?` : undefined;
}

async function resolveConfigDefaults(
  config: ResolvedConfig,
  configFile: string,
  root: string,
  locate: Locate,
): Promise<{ specs: CheckSpec[]; where: Map<CheckSpec, ConfigErrorInfo> }> {
  const where = new Map<CheckSpec, ConfigErrorInfo>();
  config.defaults.checks.forEach((spec, j) => {
    const pos = locate(['defaults', 'checks', j]);
    where.set(spec, {
      file: configFile,
      line: pos?.line,
      column: pos?.column,
      field: `defaults.checks[${j}]`,
    });
  });
  const replaced = await resolveSchemaRefs(
    config.defaults.checks,
    configFile,
    root,
    (s) => where.get(s) ?? {},
  );
  const specs = config.defaults.checks.map((s) => replaced.get(s) ?? s);
  const out = new Map<CheckSpec, ConfigErrorInfo>();
  config.defaults.checks.forEach((s, j) => {
    const w = where.get(s);
    const r = specs[j];
    if (w && r) out.set(r, w);
  });
  return { specs, where: out };
}

/**
 * The suite as configured: the config's default checks in front of every case's checks, the entry's name
 * and prompt list, re-hashed.
 */
function mergeConfigDefaults(
  parsed: ParsedSuite,
  configChecks: CheckSpec[],
  name: string,
  prompts: string[] | undefined,
): ParsedSuite {
  const cases = parsed.suite.cases.map((c) => ({ ...c, checks: [...configChecks, ...c.checks] }));
  return {
    ...parsed,
    suite: {
      ...parsed.suite,
      name,
      ...(prompts ? { prompts } : {}),
      defaultChecks: [...configChecks, ...parsed.suite.defaultChecks],
      cases,
      hash: suiteHash(cases),
    },
  };
}

function whereOf(
  parsed: ParsedSuite,
  spec: CheckSpec,
  configWhere: Map<CheckSpec, ConfigErrorInfo>,
): ConfigErrorInfo {
  const fromConfig = configWhere.get(spec);
  if (fromConfig) return fromConfig;
  const at = parsed.locations.checks.get(spec);
  return { file: parsed.suite.file, line: at?.line, column: at?.column, field: at?.field };
}

function collect(errors: ConfigError[], e: unknown): void {
  if (e instanceof ConfigErrors) errors.push(...e.errors);
  else if (e instanceof ConfigError) errors.push(e);
  else throw e;
}
