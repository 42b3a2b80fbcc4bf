import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AssayError, ConfigErrors } from '../../src/core/errors.ts';
import { loadProject } from '../../src/project/load-project.ts';
import { cleanEnv, repoRoot, runCli } from '../cli/cli-harness.ts';

/**
 * File references in project files cannot leave the project folder (docs/reliability.md): by `../`, by an
 * absolute path, or through a symbolic link; `ASSAY_ALLOW_PATHS` opens a folder on purpose.
 */

let base: string;
let outside: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'assay-escape-'));
  outside = join(base, 'outside');
  write(outside, {
    'leak.prompt.md': '---\nvariables:\n  n: number\n---\nSay {{ n }}.\n',
    'cases.jsonl': '{"id":"c1","vars":{"n":1}}\n',
    'schema.json': '{"type":"object"}',
    'pool.yaml': '- { user: "Q: 1?", assistant: "1" }\n',
    'script.yaml': 'rules:\n  - contains: Say\n    reply: "1"\n',
    'check.ts': 'export default () => true;\n',
  });
  cpSync(join(repoRoot, 'examples/rag/judges/faithfulness.judge.md'), join(outside, 'f.judge.md'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.ASSAY_ALLOW_PATHS;
});

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const prompt = '---\nvariables:\n  n: number\n---\nSay {{ n }}.\n';
let counter = 0;

/** A project whose `ref` (a placeholder `REF` in its files) points at the outside file `target`. */
function project(files: Record<string, string>): string {
  const dir = join(base, `p${counter++}`);
  write(dir, {
    'assay.yaml': 'prompts: [q.prompt.md]\nsuites: [cases.jsonl]\nmodels: [fake:echo]\n',
    'q.prompt.md': prompt,
    'cases.jsonl': '{"id":"c1","vars":{"n":1}}\n',
    ...files,
  });
  return dir;
}

async function loadError(dir: string): Promise<string> {
  try {
    await loadProject({ cwd: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(AssayError);
    return e instanceof ConfigErrors ? e.errors.map((x) => x.message).join('\n') : (e as Error).message;
  }
  return 'loaded';
}

/** Each loader, given a reference that leaves the project. */
const loaders: {
  loader: string;
  files: (ref: (file: string) => string) => Record<string, string>;
  file: string;
}[] = [
  {
    loader: 'prompt file (config prompts:)',
    file: 'leak.prompt.md',
    files: (ref) => ({
      'assay.yaml': `prompts: [${ref('leak.prompt.md')}]\nsuites: [cases.jsonl]\nmodels: [fake:echo]\n`,
    }),
  },
  {
    loader: 'suite file (config suites:)',
    file: 'cases.jsonl',
    files: (ref) => ({
      'assay.yaml': `prompts: [q.prompt.md]\nsuites: [${ref('cases.jsonl')}]\nmodels: [fake:echo]\n`,
    }),
  },
  {
    loader: 'judge file (a judge check)',
    file: 'f.judge.md',
    files: (ref) => ({
      'assay.yaml':
        'prompts: [q.prompt.md]\nsuites: [cases.jsonl]\nmodels: [fake:echo, openai:gpt-4o-mini]\n',

      'cases.jsonl': `${JSON.stringify({ id: 'c1', vars: { n: 1 }, checks: [{ type: 'judge', judge: ref('f.judge.md') }] })}\n`,
    }),
  },
  {
    loader: 'schema file (json-schema check)',
    file: 'schema.json',
    files: (ref) => ({
      'cases.jsonl': `${JSON.stringify({ id: 'c1', vars: { n: 1 }, checks: [{ type: 'json-schema', schema: ref('schema.json') }] })}\n`,
    }),
  },
  {
    loader: 'few-shot pool (prompt variants)',
    file: 'pool.yaml',
    files: (ref) => ({
      'q.prompt.md': `---\nvariables:\n  n: number\nvariants:\n  fewShot:\n    k: [1]\n    pool: ${ref('pool.yaml')}\n---\nSay {{ n }}.\n`,
    }),
  },
  {
    loader: 'custom check (file: module)',
    file: 'check.ts',
    files: (ref) => ({
      'cases.jsonl': `${JSON.stringify({ id: 'c1', vars: { n: 1 }, checks: [{ type: `file:${ref('check.ts')}#default` }] })}\n`,
    }),
  },
];

describe('file references cannot escape the project root', () => {
  it.each(loaders)('$loader: ../ outside the project is refused', async ({ files, file }) => {
    const dir = project(files((f) => `../outside/${f}`));
    expect(await loadError(dir)).toMatch(
      new RegExp(`outside/${file.replace('.', '\\.')}' is outside the project`),
    );
  });

  it.each(loaders)('$loader: an absolute path outside the project is refused', async ({ files }) => {
    const dir = project(files((f) => join(outside, f)));
    expect(await loadError(dir)).toMatch(/outside the project/);
  });

  it.each(loaders.filter((l) => !l.loader.startsWith('custom')))(
    '$loader: allowed with ASSAY_ALLOW_PATHS',
    async ({ files }) => {
      const dir = project(files((f) => join(outside, f)));
      process.env.ASSAY_ALLOW_PATHS = outside;
      expect(await loadError(dir)).toBe('loaded');
    },
  );

  it('a symbolic link inside the project that points outside is refused', async () => {
    const dir = project({
      'assay.yaml': 'prompts: [q.prompt.md]\nsuites: [linked.jsonl]\nmodels: [fake:echo]\n',
    });
    symlinkSync(join(outside, 'cases.jsonl'), join(dir, 'linked.jsonl'));
    expect(await loadError(dir)).toMatch(
      /suite file 'linked.jsonl' is outside the project once its link is followed/,
    );
  });

  it('../../etc/passwd and /etc/passwd as a suite: exit 2 with a clear error, the file never read', async () => {
    for (const ref of ['../../../../../../etc/passwd', '/etc/passwd']) {
      const dir = project({
        'assay.yaml': `prompts: [q.prompt.md]\nsuites: ['${ref}']\nmodels: [fake:echo]\n`,
      });
      const r = await runCli(['eval', '-C', dir], { env: cleanEnv() });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/suite file '.*etc\/passwd' is outside the project/);
      expect(r.stderr).toMatch(/ASSAY_ALLOW_PATHS/);
      expect(r.stderr).not.toMatch(/root:x:0:0/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a fake model script outside the project is refused', async () => {
    const dir = project({
      'assay.yaml': `prompts: [q.prompt.md]\nsuites: [cases.jsonl]\nmodels:\n  - id: fake:x\n    script: ../outside/script.yaml\n`,
    });
    const r = await runCli(['eval', '-C', dir], { env: cleanEnv() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/fake model script '..\/outside\/script.yaml' is outside the project/);
  });
});
