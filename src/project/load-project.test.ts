import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../core/errors.ts';
import { renderCase } from '../core/prompt/render-case.ts';
import type { CheckOutput } from '../core/types.ts';
import { loadProject } from './load-project.ts';
import { loadPromptFile } from './load-prompt-file.ts';
import { loadSuiteFile } from './load-suite-file.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dirs: string[] = [];

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-load-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function errorsOf(p: Promise<unknown>): Promise<ConfigError[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors;
    if (e instanceof ConfigError) return [e];
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const PROMPT = `---
variables:
  message: string
  name: { type: string, default: there }
---
# system
Be brief.

# user
{{ name }}: {{ message }}
`;

const output = (text: string): CheckOutput => ({ text, toolCalls: [], latencyMs: 1, usage: {}, cost: 0 });

describe('loadProject', () => {
  it('loads the example project', async () => {
    const p = await loadProject({ cwd: join(repo, 'examples', 'support') });
    expect(p.name).toBe('acme-support');
    expect(p.configFile).toBe('assay.yaml');
    expect(p.prompts.map((x) => x.name)).toEqual(['support', 'triage']);
    expect(p.suites.map((s) => [s.name, s.cases.length])).toEqual([
      ['support', 8],
      ['triage', 4],
    ]);
    expect(p.suites.map((s) => s.prompts)).toEqual([['support'], ['triage']]);
    expect(p.defaults).toMatchObject({
      repeats: 1,
      concurrency: 8,
      threshold: 0.8,
      maxErrorRate: 0.1,
      seed: 0,
    });
    expect(p.storePath).toBe(join(repo, 'examples', 'support', '.assay', 'assay.db'));
    expect(
      p.checks
        .get('support')
        ?.get('refund-window')
        ?.map((c) => c.type),
    ).toEqual(['length', 'no-pii', 'icontains', 'not-refused']);
  });

  it('expands globs, merges config and suite default checks, and compiles them', async () => {
    const dir = project({
      'assay.yaml': `prompts: ["prompts/**/*.prompt.md", prompts/a.prompt.md]
suites: [suites/main.yaml]
models: [fake:echo]
defaults:
  checks:
    - not-contains: ERROR
store: data/store.db
`,
      'prompts/a.prompt.md': PROMPT,
      'prompts/nested/b.prompt.md': PROMPT.replace('Be brief.', 'Be kind.'),
      'suites/main.yaml': `defaults:
  checks: [{ contains: "hi" }]
cases:
  - id: one
    vars: { message: hello }
    checks: [{ regex: "^there" }]
`,
    });
    const p = await loadProject({ cwd: dir });
    expect(p.prompts.map((x) => x.file)).toEqual(['prompts/a.prompt.md', 'prompts/nested/b.prompt.md']);
    expect(p.name).toBe(dir.split(/[\\/]/).pop());
    expect(p.storePath).toBe(join(dir, 'data', 'store.db'));
    expect(p.models).toEqual([{ id: 'fake:echo' }]);
    const suite = p.suites[0];
    expect(suite?.defaultChecks).toEqual([
      { type: 'not-contains', value: 'ERROR' },
      { type: 'contains', value: 'hi' },
    ]);
    expect(suite?.cases[0]?.checks.map((c) => c.type)).toEqual(['not-contains', 'contains', 'regex']);
    const bound = p.checks.get('main')?.get('one') ?? [];
    expect(bound.map((b) => b.type)).toEqual(['not-contains', 'contains', 'regex']);
    const prompt = p.prompts[0];
    const testCase = suite?.cases[0];
    if (!prompt || !testCase) throw new Error('missing');
    const ctx = { prompt, messages: renderCase(prompt, testCase), modelId: 'fake:echo' };
    const outcomes = await Promise.all(bound.map((b) => b.run(output('there, hi'), testCase, ctx)));
    expect(outcomes.map((o) => o.pass)).toEqual([true, true, true]);
    expect(p.warnings).toEqual([]);
  });

  it('resolves json-schema files relative to the suite file', async () => {
    const dir = project({
      'assay.yaml': 'prompts: [p.prompt.md]\nsuites: [suites/s.yaml]\n',
      'p.prompt.md': PROMPT,
      'suites/s.yaml': '- id: a\n  vars: { message: x }\n  checks:\n    - json-schema: schemas/answer.json\n',
      'suites/schemas/answer.json': '{"type":"object","required":["ok"]}',
    });
    const p = await loadProject({ cwd: dir });
    expect(p.suites[0]?.cases[0]?.checks[0]).toEqual({
      type: 'json-schema',
      schema: { type: 'object', required: ['ok'] },
    });
    const run = p.checks.get('s')?.get('a')?.[0]?.run;
    const prompt = p.prompts[0];
    const testCase = p.suites[0]?.cases[0];
    if (!run || !prompt || !testCase) throw new Error('missing');
    const ctx = { prompt, messages: [], modelId: 'fake:x' };
    expect((await run(output('{"ok":1}'), testCase, ctx)).pass).toBe(true);
    expect((await run(output('{"no":1}'), testCase, ctx)).pass).toBe(false);
  });

  it('loads assay.config.ts through defineConfig, with custom check files', async () => {
    const define = join(repo, 'src', 'core', 'config', 'define-config.ts');
    const dir = project({
      'assay.config.ts': `import { defineConfig } from ${JSON.stringify(define)};
export default defineConfig({
  prompts: ['p.prompt.md'],
  suites: [{ name: 'main', file: 'cases.jsonl' }],
  models: [{ id: 'fake:bot', respond: () => 'ok' }],
  defaults: { repeats: 3 },
});
`,
      'p.prompt.md': PROMPT,
      'cases.jsonl': '{"id":"a","vars":{"message":"x"},"checks":[{"type":"file:checks.ts#short"}]}\n',
      'checks.ts':
        'export function short(output: { text: string }): boolean {\n  return output.text.length < 5;\n}\n',
    });
    const p = await loadProject({ cwd: dir });
    expect(p.configFile).toBe('assay.config.ts');
    expect(p.defaults.repeats).toBe(3);
    expect(typeof p.models[0]?.respond).toBe('function');
    const bound = p.checks.get('main')?.get('a')?.[0];
    const prompt = p.prompts[0];
    const testCase = p.suites[0]?.cases[0];
    if (!bound || !prompt || !testCase) throw new Error('missing');
    expect(bound.type).toBe('file:checks.ts#short');
    expect(
      (await bound.run(output('ok'), testCase, { prompt, messages: [], modelId: 'fake:bot' })).pass,
    ).toBe(true);
  });

  it('finds the config by configPath (a file or a folder)', async () => {
    const dir = project({
      'sub/other.yaml': 'name: other\nprompts: [p.prompt.md]\nsuites: [s.yaml]\n',
      'sub/p.prompt.md': PROMPT,
      'sub/s.yaml': '- id: a\n  vars: { message: x }\n',
    });
    expect((await loadProject({ cwd: dir, configPath: 'sub/other.yaml' })).name).toBe('other');
    const [e] = await errorsOf(loadProject({ cwd: dir, configPath: 'sub' }));
    expect(e?.message).toBe(`no assay.yaml found in ${join(dir, 'sub')}; run \`assay init\` to create one`);
    const [missing] = await errorsOf(loadProject({ cwd: dir, configPath: 'nope.yaml' }));
    expect(missing?.message).toContain("config file 'nope.yaml' not found");
  });

  it('checks every case gives every prompt of its suite the variables it needs', async () => {
    const dir = project({
      'assay.yaml': `prompts: [p.prompt.md, q.prompt.md]
suites:
  - { file: s.yaml, prompts: [p] }
  - { file: t.yaml, prompts: [q, r] }
`,
      'p.prompt.md': PROMPT,
      'q.prompt.md': '---\nvariables:\n  n: number\n---\n{{ n }}',
      's.yaml': '- id: ok\n  vars: { message: x }\n- id: bad\n  vars: { mesage: x }\n',
      't.yaml': '- id: a\n  vars: { n: many }\n',
    });
    const errs = await errorsOf(loadProject({ cwd: dir }));
    expect(errs.map((e) => [e.info.file, e.info.line, e.info.field])).toEqual([
      ['assay.yaml', 4, 'suites[1].prompts[1]'],
      ['s.yaml', 3, '[1].vars.message'],
      ['t.yaml', 1, '[0].vars.n'],
    ]);
    expect(errs[0]?.message).toContain("no prompt named 'r'");
    expect(errs[1]?.message).toContain(
      "case 'bad' does not set variable 'message' required by prompt 'p' (p.prompt.md)",
    );
    expect(errs[1]?.info.hint).toContain("the case sets 'mesage'");
    expect(errs[2]?.message).toContain("gives variable 'n' of prompt 'q'");
  });

  it('collects warnings: derived ids and variables no prompt declares', async () => {
    const dir = project({
      'assay.yaml': 'prompts: [p.prompt.md]\nsuites: [s.yaml]\n',
      'p.prompt.md': PROMPT,
      's.yaml': '- vars: { message: x, nmae: Bo }\n',
    });
    const p = await loadProject({ cwd: dir });
    expect(p.warnings?.map((w) => w.message)).toEqual([
      expect.stringContaining('case has no id'),
      expect.stringContaining(
        "variable 'nmae' (set by 1 case) is not declared by prompt p and is ignored; did you mean 'name'?",
      ),
    ]);
  });

  it('reports prompt and suite errors from several files together', async () => {
    const dir = project({
      'assay.yaml': 'prompts: [prompts/*.prompt.md]\nsuites: [a.yaml, b.yaml]\n',
      'prompts/x.prompt.md': '{{ undeclared }}',
      'prompts/y.prompt.md': '---\nname: x\n---\nhi',
      'a.yaml': '- id: a\n  split: prod\n',
      'b.yaml': '- id: b\n',
    });
    const errs = await errorsOf(loadProject({ cwd: dir }));
    expect(errs.map((e) => e.info.file)).toEqual(['a.yaml', 'prompts/x.prompt.md']);
  });
});

describe('loadPromptFile / loadSuiteFile', () => {
  it('load single files relative to a root', async () => {
    const dir = project({ 'p.prompt.md': PROMPT, 'cases.csv': 'id,message\na,hi\n' });
    expect((await loadPromptFile('p.prompt.md', dir)).file).toBe('p.prompt.md');
    const s = await loadSuiteFile('cases.csv', dir);
    expect(s.suite.cases[0]).toMatchObject({ id: 'a', vars: { message: 'hi' } });
    const [e] = await errorsOf(loadSuiteFile('missing.yaml', dir));
    expect(e?.message).toContain("suite file 'missing.yaml' not found");
  });
});
