import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Project } from '../core/config/project.ts';
import type { PromptSpec, Suite } from '../core/types.ts';
import { buildManifest, gitState, packageVersions } from './build-manifest.ts';
import { planRun } from './plan-run.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'assay-manifest-'));
  dirs.push(d);
  return d;
}

function hasGit(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('gitState', () => {
  it('is undefined outside a git work tree', async () => {
    expect(await gitState(tempDir())).toBeUndefined();
  });

  it.skipIf(!hasGit())('reads the commit and the dirty flag', async () => {
    const d = tempDir();
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: d,
        stdio: 'ignore',
      });
    git('init', '-q');
    writeFileSync(join(d, 'a.txt'), 'a');
    git('add', 'a.txt');
    git('commit', '-q', '-m', 'a');
    const clean = await gitState(d);
    expect(clean?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(clean?.dirty).toBe(false);
    writeFileSync(join(d, 'a.txt'), 'b');
    expect(await gitState(d)).toEqual({ commit: clean?.commit, dirty: true });
  });
});

describe('buildManifest', () => {
  it('records prompts, suite, models without secrets, packages, prices, node, seed and options', async () => {
    const prompt: PromptSpec = {
      name: 'p',
      file: 'p.prompt.md',
      version: 'abc123',
      canonical: 'CANON',
      settings: {},
      variables: {},
      messages: [{ role: 'user', content: 'hi' }],
    };
    const suite: Suite = {
      name: 's',
      file: 's.yaml',
      hash: 'h1',
      defaultChecks: [],
      cases: [{ id: 'a', vars: {}, checks: [], tags: [] }],
    };
    const root = tempDir();
    const project: Project = {
      root,
      configFile: 'assay.yaml',
      name: 'proj',
      prompts: [prompt],
      suites: [suite],
      models: [
        {
          id: 'openai-compatible:x',
          baseUrl: 'http://user:pw@127.0.0.1:9/v1',
          model: 'llama',
          apiKeyEnv: 'MY_KEY',
          headers: { 'x-b': 'secret-b-value', 'x-a': 'literal-secret' },
          settings: { temperature: 0 },
        },
      ],
      defaults: { repeats: 3, concurrency: 2, timeoutMs: 100, maxRetries: 1, maxErrorRate: 0.1, seed: 5 },
      storePath: join(root, 'db'),
      pricesFile: join(root, 'prices.yaml'),
      checks: new Map(),
    };
    const m = await buildManifest({
      project,
      plan: planRun(project),
      options: { concurrency: 2, timeoutMs: 100, maxRetries: 1, cache: true, filter: { tag: 'x' } },
      priceTable: { package: '@pydantic/genai-prices', version: '9.9.9' },
      seed: 5,
      now: new Date('2025-01-02T03:04:05Z'),
    });
    expect(m).toMatchObject({
      schemaVersion: 1,
      project: 'proj',
      prompts: [{ name: 'p', version: 'abc123', file: 'p.prompt.md', source: 'CANON' }],
      suite: { name: 's', file: 's.yaml', hash: 'h1', cases: 1 },
      repeats: 3,
      seed: 5,
      priceTable: { package: '@pydantic/genai-prices', version: '9.9.9', overrides: 'prices.yaml' },
      node: process.version,
      createdAt: '2025-01-02T03:04:05.000Z',
      options: { concurrency: 2, timeoutMs: 100, maxRetries: 1, cache: true, filter: { tag: 'x' } },
    });
    expect(m.models).toEqual([
      {
        id: 'openai-compatible:x',
        settings: { temperature: 0 },
        model: 'llama',
        baseUrl: 'http://127.0.0.1:9/v1',
        headers: ['x-a', 'x-b'],
      },
    ]);
    const text = JSON.stringify(m);
    expect(text).not.toContain('literal-secret');
    expect(text).not.toContain('secret-b-value');
    expect(text).not.toContain(':pw@');
    expect(text).not.toContain('MY_KEY');
  });

  it('package versions include assay, ai and the @ai-sdk providers', async () => {
    const v = await packageVersions();
    expect(v.assay).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.ai).toMatch(/^\d+\./);
    expect(v['@ai-sdk/openai-compatible']).toMatch(/^\d+\./);
  });
});
