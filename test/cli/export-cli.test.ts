import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchProject, startCli, waitCli, writeFiles } from './cli-harness.ts';

// `runs` and `export` turn bad paths and closed pipes into a message and an exit code, never into
// "internal error" (exit 70).
const CASES = 200; // ~200 × 2 KB of output: far more than a pipe buffer

let project: { dir: string; cleanup: () => void };

beforeAll(async () => {
  project = scratchProject(false);
  const long = 'x'.repeat(2000);
  const cases = Array.from({ length: CASES }, (_, i) => `  - id: c${i}\n    vars: { message: "${long}" }\n`);
  writeFiles(project.dir, {
    'assay.yaml':
      'name: big\nprompts: [prompts/*.prompt.md]\nsuites: [suites/main.yaml]\nmodels: [fake:echo]\n',
    'prompts/p.prompt.md': '---\nvariables:\n  message: string\n---\n# user\n{{ message }}\n',
    'suites/main.yaml': `cases:\n${cases.join('')}`,
  });
  const r = await runCli(['eval', '-C', project.dir]);
  expect(r.stderr).not.toMatch(/internal error/);
}, 60_000);

afterAll(() => project.cleanup());

describe.concurrent('assay export and runs: errors', () => {
  it('stops quietly (exit 0) when stdout is closed early, as with `| head`', async () => {
    const child = startCli(['export', '-C', project.dir, '-f', 'jsonl']);
    child.stdout?.once('data', () => child.stdout?.destroy());
    const r = await waitCli(child);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('-o naming a folder is exit 2 naming the path', async () => {
    const out = join(project.dir, 'out-dir');
    mkdirSync(out, { recursive: true });
    const r = await runCli(['export', '-C', project.dir, '-f', 'csv', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^assay: cannot write .*out-dir: it is a folder/);
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('-o in a missing folder is exit 2 naming the path', async () => {
    const r = await runCli(['export', '-C', project.dir, '-f', 'csv', '-o', '/nonexistent-assay/x.csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^assay: cannot write \/nonexistent-assay\/x\.csv: folder \/nonexistent-assay does not exist/,
    );
    expect(r.stderr).not.toMatch(/internal error/);
  });

  it('runs list -c <folder> finds the config in it', async () => {
    const r = await runCli(['runs', 'list', '-c', project.dir, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs).toHaveLength(1);
  });

  it('runs list with an assay.config.ts that throws is exit 2 naming the file', async () => {
    const p = scratchProject(false);
    try {
      writeFiles(p.dir, { 'assay.config.ts': "throw new Error('config exploded');\n" });
      const r = await runCli(['runs', 'list', '-C', p.dir]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^assay: assay\.config\.ts: cannot load assay\.config\.ts: config exploded/);
    } finally {
      p.cleanup();
    }
  });
});
