import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ConfigErrors } from '../core/errors.ts';
import { loadProject } from './load-project.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string | undefined>): string {
  const dir = mkdtempSync(join(tmpdir(), 'assay-variants-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    if (text === undefined) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const PROMPT = `---
variables:
  question: string
variants:
  fewShot: { k: 2, pool: ../pools/qa.yaml, seed: 1 }
  chainOfThought: true
---
# user
Q: {{ question }}
`;

const files = (extra: Record<string, string | undefined> = {}) => ({
  'assay.yaml':
    'prompts: [prompts/*.prompt.md]\nsuites:\n  - file: suites/qa.yaml\n    prompts: [qa]\n  - file: suites/other.yaml\n    prompts: [other]\nmodels: [fake:echo]\n',
  'prompts/qa.prompt.md': PROMPT,
  'prompts/other.prompt.md': '# user\nhello\n',
  'pools/qa.yaml':
    '- { vars: { question: a }, output: A }\n- { vars: { question: b }, output: B }\n- { vars: { question: c }, output: C }\n',
  'suites/qa.yaml': 'cases:\n  - id: one\n    vars: { question: c }\n    checks: [{ contains: C }]\n',
  // Not a suite qa runs on: its inputs do not count for the leak guard.
  'suites/other.yaml': 'cases:\n  - id: two\n    vars: { question: a }\n    checks: [{ contains: x }]\n',
  ...extra,
});

async function loadError(dir: string): Promise<ConfigError> {
  try {
    await loadProject({ cwd: dir });
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors[0] as ConfigError;
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadProject with variants', () => {
  it('adds the derived prompts after their base; a suite naming the base runs its variants too', async () => {
    const p = await loadProject({ cwd: project(files()) });
    expect(p.prompts.map((x) => x.name)).toEqual(['other', 'qa', 'qa~few-shot-2', 'qa~cot']);
    expect(p.suites.find((s) => s.name === 'qa')?.prompts).toEqual(['qa', 'qa~few-shot-2', 'qa~cot']);
    // The leak guard only looks at the suites qa runs on: 'c' is skipped, 'a' (other suite) is not.
    expect(p.warnings?.map((w) => `${w.file}:${w.line}`)).toContain('pools/qa.yaml:3');
    const shots = p.prompts.find((x) => x.name === 'qa~few-shot-2')?.messages.map((m) => m.content);
    expect(shots?.slice(0, -1).sort()).toEqual(['A', 'B', 'Q: a', 'Q: b']);
  });

  it('a missing pool is a load error at the prompt file, line and field', async () => {
    const e = await loadError(project(files({ 'pools/qa.yaml': undefined })));
    expect(e.info).toMatchObject({ file: 'prompts/qa.prompt.md', line: 5, field: 'variants.fewShot.pool' });
    expect(e.message).toContain("few-shot pool 'pools/qa.yaml' not found");
    const typo = await loadError(project(files({ 'pools/qa.yaml': undefined, 'pools/qa.yml': '[]' })));
    expect(typo.info.hint).toBe("did you mean 'qa.yml'?");
  });

  it('a bad pool example is a load error in the pool file', async () => {
    const e = await loadError(project(files({ 'pools/qa.yaml': '- { vars: { question: a } }\n' })));
    expect(e.info).toMatchObject({ file: 'pools/qa.yaml', line: 1, field: '[0].output' });
  });
});
